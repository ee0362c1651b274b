//! `genauth::json`: the derive-free JSON contract of generated models.

use genauth::json::{self, Decode, Fields, FromJson, JsonError, Map, StringEnum, ToJson};
use serde::de::{Deserializer, MapAccess};
use serde_json::{Value, json};

/// A string enum written the way the generator writes them.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Activated,
    Suspended,
    Other(String),
}

impl StringEnum for Status {
    fn as_str(&self) -> &str {
        match self {
            Status::Activated => "Activated",
            Status::Suspended => "Suspended",
            Status::Other(value) => value,
        }
    }

    fn from_wire(value: &str) -> Self {
        match value {
            "Activated" => Status::Activated,
            "Suspended" => Status::Suspended,
            other => Status::Other(other.to_owned()),
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Status::Other(String::new())
    }
}

impl Decode for Status {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        json::decode_enum(deserializer)
    }
}

impl ToJson for Status {
    fn to_json(&self) -> Value {
        json::enum_to_json(self)
    }
}

/// A model written the way the generator writes them: every field kind.
#[derive(Debug, Clone, PartialEq, Default)]
struct User {
    user_id: String,
    age: i64,
    score: f64,
    active: bool,
    nickname: Option<String>,
    tags: Vec<String>,
    status: Status,
    previous: Option<Status>,
    custom: Map<String, Value>,
    any: Value,
    manager: Option<Box<User>>,
    reports: Vec<User>,
}

impl Fields for User {
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "userId" => json::set(&mut self.user_id, map, "userId"),
            "age" => json::set(&mut self.age, map, "age"),
            "score" => json::set(&mut self.score, map, "score"),
            "active" => json::set(&mut self.active, map, "active"),
            "nickname" => json::set(&mut self.nickname, map, "nickname"),
            "tags" => json::set(&mut self.tags, map, "tags"),
            "status" => json::set(&mut self.status, map, "status"),
            "previous" => json::set(&mut self.previous, map, "previous"),
            "custom" => json::set(&mut self.custom, map, "custom"),
            "any" => json::set(&mut self.any, map, "any"),
            "manager" => json::set_boxed(&mut self.manager, map, "manager"),
            "reports" => json::set(&mut self.reports, map, "reports"),
            _ => json::skip(map),
        }
    }
}

impl ToJson for User {
    fn to_json(&self) -> Value {
        let mut map = Map::new();
        json::put(&mut map, "userId", &self.user_id);
        json::put(&mut map, "age", &self.age);
        json::put(&mut map, "score", &self.score);
        json::put(&mut map, "active", &self.active);
        json::put_some(&mut map, "nickname", &self.nickname);
        json::put(&mut map, "tags", &self.tags);
        json::put(&mut map, "status", &self.status);
        json::put_some(&mut map, "previous", &self.previous);
        json::put(&mut map, "custom", &self.custom);
        json::put(&mut map, "any", &self.any);
        json::put_some(&mut map, "manager", &self.manager);
        json::put(&mut map, "reports", &self.reports);
        Value::Object(map)
    }
}

fn empty_user() -> User {
    User {
        user_id: String::new(),
        age: 0,
        score: 0.0,
        active: false,
        nickname: None,
        tags: Vec::new(),
        status: Status::Other(String::new()),
        previous: None,
        custom: Map::new(),
        any: Value::Null,
        manager: None,
        reports: Vec::new(),
    }
}

fn full_user() -> Value {
    json!({
        "userId": "u1",
        "age": 30,
        "score": 4.5,
        "active": true,
        "nickname": "Ann",
        "tags": ["a", "b"],
        "status": "Activated",
        "previous": "Locked",
        "custom": { "k": [1, { "x": null }] },
        "any": [true, "x", 1.5],
        "manager": { "userId": "m1", "status": "Suspended", "age": 50 },
        "reports": [{ "userId": "r1" }, { "userId": "r2", "tags": ["t"] }]
    })
}

/// The error converting `value` into `T`, as (path, message).
fn error_of<T: FromJson + std::fmt::Debug>(value: Value) -> (String, String) {
    let error = T::from_json(value).unwrap_err();
    (error.path(), error.message().to_owned())
}

fn err(path: &str, message: &str) -> (String, String) {
    (path.to_owned(), message.to_owned())
}

#[test]
fn string_from_json() {
    assert_eq!(String::from_json(json!("text")).unwrap(), "text");
    assert_eq!(String::from_json(json!(null)).unwrap(), "");
    // Lenient: numbers and booleans become their JSON text.
    assert_eq!(String::from_json(json!(42)).unwrap(), "42");
    assert_eq!(String::from_json(json!(-1.5)).unwrap(), "-1.5");
    assert_eq!(String::from_json(json!(true)).unwrap(), "true");
    assert_eq!(error_of::<String>(json!([])), err(".", "expected a string, found an array"));
    assert_eq!(error_of::<String>(json!({})), err(".", "expected a string, found an object"));
}

#[test]
fn i64_from_json() {
    assert_eq!(i64::from_json(json!(7)).unwrap(), 7);
    assert_eq!(i64::from_json(json!(-7)).unwrap(), -7);
    assert_eq!(i64::from_json(json!(i64::MAX)).unwrap(), i64::MAX);
    assert_eq!(i64::from_json(json!(null)).unwrap(), 0);
    // Whole floats and numeric text are integers.
    assert_eq!(i64::from_json(json!(2.0)).unwrap(), 2);
    assert_eq!(i64::from_json(json!(-1e3)).unwrap(), -1000);
    assert_eq!(i64::from_json(json!("12")).unwrap(), 12);
    assert_eq!(i64::from_json(json!(" -3 ")).unwrap(), -3);

    let range = "expected an integer, found a fraction or an out-of-range number";
    assert_eq!(error_of::<i64>(json!(1.5)), err(".", range));
    assert_eq!(error_of::<i64>(json!(u64::MAX)), err(".", range));
    assert_eq!(error_of::<i64>(json!(1e300)), err(".", range));
    assert_eq!(error_of::<i64>(json!("1.5")), err(".", "expected an integer, found a string"));
    assert_eq!(error_of::<i64>(json!("soon")), err(".", "expected an integer, found a string"));
    assert_eq!(error_of::<i64>(json!("")), err(".", "expected an integer, found a string"));
    assert_eq!(error_of::<i64>(json!(true)), err(".", "expected an integer, found a boolean"));
    assert_eq!(error_of::<i64>(json!([1])), err(".", "expected an integer, found an array"));
}

#[test]
fn f64_from_json() {
    assert_eq!(f64::from_json(json!(1.25)).unwrap(), 1.25);
    assert_eq!(f64::from_json(json!(3)).unwrap(), 3.0);
    assert_eq!(f64::from_json(json!(u64::MAX)).unwrap(), u64::MAX as f64);
    assert_eq!(f64::from_json(json!(null)).unwrap(), 0.0);
    assert_eq!(f64::from_json(json!("2.5")).unwrap(), 2.5);
    assert_eq!(f64::from_json(json!(" 1e3 ")).unwrap(), 1000.0);
    assert_eq!(error_of::<f64>(json!("soon")), err(".", "expected a number, found a string"));
    // Rust parses these, JSON cannot carry them.
    for text in ["NaN", "inf", "-infinity"] {
        assert_eq!(error_of::<f64>(json!(text)), err(".", "expected a number, found a string"), "{text}");
    }
    assert_eq!(error_of::<f64>(json!(false)), err(".", "expected a number, found a boolean"));
    assert_eq!(error_of::<f64>(json!({})), err(".", "expected a number, found an object"));
}

#[test]
fn bool_from_json() {
    assert!(bool::from_json(json!(true)).unwrap());
    assert!(!bool::from_json(json!(false)).unwrap());
    assert!(!bool::from_json(json!(null)).unwrap());
    assert!(bool::from_json(json!("true")).unwrap());
    assert!(!bool::from_json(json!("false")).unwrap());
    assert!(!bool::from_json(json!(" false")).unwrap());
    for odd in [json!("TRUE"), json!("yes"), json!("1"), json!("")] {
        assert_eq!(error_of::<bool>(odd.clone()), err(".", "expected a boolean, found a string"), "{odd}");
    }
    assert_eq!(error_of::<bool>(json!(1)), err(".", "expected a boolean, found a number"));
    assert_eq!(error_of::<bool>(json!([])), err(".", "expected a boolean, found an array"));
}

#[test]
fn value_and_map_from_json() {
    for value in [json!(null), json!(1), json!("x"), json!([1, {}]), json!({ "a": { "b": null } })] {
        assert_eq!(Value::from_json(value.clone()).unwrap(), value);
    }
    let map = Map::<String, Value>::from_json(json!({ "a": 1, "b": [null] })).unwrap();
    assert_eq!(Value::Object(map), json!({ "a": 1, "b": [null] }));
    assert!(Map::<String, Value>::from_json(json!(null)).unwrap().is_empty());
    assert_eq!(error_of::<Map<String, Value>>(json!([])), err(".", "expected an object, found an array"));
    assert_eq!(error_of::<Map<String, Value>>(json!("x")), err(".", "expected an object, found a string"));
}

#[test]
fn json_held_in_text_decodes_as_the_value_it_holds() {
    // Sample results encode nested objects and lists as text.
    let map = Map::<String, Value>::from_json(json!(r#"{"a": [1]}"#)).unwrap();
    assert_eq!(Value::Object(map), json!({ "a": [1] }));
    assert_eq!(Vec::<i64>::from_json(json!("[3,4]")).unwrap(), [3, 4]);
    assert!(Vec::<User>::from_json(json!("[]")).unwrap().is_empty());
    let user = User::from_json(json!({
        "reports": r#"[{"userId":"r1","tags":["t"]}]"#,
        "manager": r#" {"userId":"m1"}"#,
        "custom": r#"{"k":null}"#
    }))
    .unwrap();
    assert_eq!(
        (user.reports[0].user_id.as_str(), user.reports[0].tags.as_slice()),
        ("r1", ["t".to_owned()].as_slice())
    );
    assert_eq!(user.manager.unwrap().user_id, "m1");
    assert_eq!(Value::Object(user.custom), json!({ "k": null }));
    // Text that is not such a document stays text: a list of one string,
    // or an error where an object is expected, with the held value's path.
    assert_eq!(Vec::<String>::from_json(json!("[draft")).unwrap(), ["[draft"]);
    assert_eq!(Vec::<String>::from_json(json!(r#"["a","b"]"#)).unwrap(), ["a", "b"]);
    assert_eq!(error_of::<User>(json!({ "manager": "Ann" })), err("manager", "expected an object, found a string"));
    assert_eq!(
        error_of::<User>(json!({ "reports": r#"[{"age":"old"}]"# })),
        err("reports[0].age", "expected an integer, found a string")
    );
}

#[test]
fn vec_option_box_from_json() {
    assert_eq!(Vec::<i64>::from_json(json!([1, "2", 3.0, null])).unwrap(), [1, 2, 3, 0]);
    assert!(Vec::<i64>::from_json(json!(null)).unwrap().is_empty());
    assert_eq!(Vec::<Vec<String>>::from_json(json!([[], ["a", 1]])).unwrap(), [vec![], vec!["a", "1"]]);
    // A single value is a list of one: sample results show lists that way.
    assert_eq!(Vec::<i64>::from_json(json!(5)).unwrap(), [5]);
    assert_eq!(Vec::<String>::from_json(json!("a,b")).unwrap(), ["a,b"]);
    assert_eq!(
        Vec::<Map<String, Value>>::from_json(json!({ "k": 1 })).unwrap(),
        [json!({ "k": 1 }).as_object().unwrap().clone()]
    );
    assert_eq!(error_of::<Vec<i64>>(json!({ "0": 1 })), err(".", "expected an integer, found an object"));
    assert_eq!(error_of::<Vec<i64>>(json!("1,2")), err(".", "expected an integer, found a string"));
    assert_eq!(error_of::<Vec<i64>>(json!([1, 2, "x"])), err("[2]", "expected an integer, found a string"));
    assert_eq!(error_of::<Vec<Vec<bool>>>(json!([[], [true, 5]])), err("[1][1]", "expected a boolean, found a number"));

    assert_eq!(Option::<i64>::from_json(json!(null)).unwrap(), None);
    assert_eq!(Option::<i64>::from_json(json!(0)).unwrap(), Some(0));
    assert_eq!(Option::<String>::from_json(json!("")).unwrap(), Some(String::new()));
    assert_eq!(Option::<Vec<i64>>::from_json(json!([])).unwrap(), Some(vec![]));
    assert_eq!(error_of::<Option<i64>>(json!([])), err(".", "expected an integer, found an array"));
}

#[test]
fn models_decode_every_field_kind() {
    let user = User::from_json(full_user()).unwrap();
    assert_eq!(user.user_id, "u1");
    assert_eq!((user.age, user.score, user.active), (30, 4.5, true));
    assert_eq!(user.nickname.as_deref(), Some("Ann"));
    assert_eq!(user.tags, ["a", "b"]);
    assert_eq!(user.status, Status::Activated);
    assert_eq!(user.previous, Some(Status::Other("Locked".to_owned())));
    assert_eq!(Value::Object(user.custom.clone()), json!({ "k": [1, { "x": null }] }));
    assert_eq!(user.any, json!([true, "x", 1.5]));
    let manager = user.manager.as_deref().unwrap();
    assert_eq!((manager.user_id.as_str(), &manager.status, manager.age), ("m1", &Status::Suspended, 50));
    assert_eq!(user.reports.len(), 2);
    assert_eq!(user.reports[1].tags, ["t"]);
}

#[test]
fn null_or_missing_fields_give_defaults() {
    assert_eq!(User::from_json(json!({})).unwrap(), empty_user());
    assert_eq!(User::from_json(json!(null)).unwrap(), empty_user());
    let nulls: Map<String, Value> = full_user().as_object().unwrap().keys().map(|k| (k.clone(), Value::Null)).collect();
    assert_eq!(User::from_json(Value::Object(nulls)).unwrap(), empty_user());
    // Unknown fields are ignored.
    assert_eq!(User::from_json(json!({ "unknown": [1, 2], "other": {} })).unwrap(), empty_user());
}

#[test]
fn models_decode_scalars_leniently() {
    let user = User::from_json(json!({
        "userId": 12345,
        "age": "41",
        "score": "9.5",
        "active": "true",
        "tags": [1, true, "x"],
        "status": 3
    }))
    .unwrap();
    assert_eq!(user.user_id, "12345");
    assert_eq!((user.age, user.score, user.active), (41, 9.5, true));
    assert_eq!(user.tags, ["1", "true", "x"]);
    assert_eq!(user.status, Status::Other("3".to_owned()));
}

#[test]
fn wrong_shapes_report_the_path() {
    let cases = [
        (json!([]), ".", "expected an object, found an array"),
        (json!("u1"), ".", "expected an object, found a string"),
        (json!({ "age": "old" }), "age", "expected an integer, found a string"),
        (json!({ "active": 1 }), "active", "expected a boolean, found a number"),
        (json!({ "nickname": {} }), "nickname", "expected a string, found an object"),
        (json!({ "tags": ["a", ["b"]] }), "tags[1]", "expected a string, found an array"),
        (json!({ "status": ["Activated"] }), "status", "expected a string, found an array"),
        (json!({ "previous": {} }), "previous", "expected a string, found an object"),
        (json!({ "custom": [] }), "custom", "expected an object, found an array"),
        (json!({ "manager": 5 }), "manager", "expected an object, found a number"),
        (json!({ "manager": { "score": "high" } }), "manager.score", "expected a number, found a string"),
        (
            json!({ "manager": { "reports": [{}, { "manager": { "tags": [null, {}] } }] } }),
            "manager.reports[1].manager.tags[1]",
            "expected a string, found an object",
        ),
        (json!({ "reports": [{}, {}, { "userId": [] }] }), "reports[2].userId", "expected a string, found an array"),
        (json!({ "reports": { "age": [] } }), "reports.age", "expected an integer, found an array"),
    ];
    for (value, path, message) in cases {
        assert_eq!(error_of::<User>(value.clone()), err(path, message), "{value}");
    }
    // Under an array at the root the path starts with the index.
    assert_eq!(
        error_of::<Vec<User>>(json!([{}, { "age": [] }])),
        err("[1].age", "expected an integer, found an array")
    );
}

#[test]
fn json_error_builds_paths_and_hides_values() {
    let error = JsonError::new("bad").at("userId").at("data");
    assert_eq!(error.path(), "data.userId");
    assert_eq!(error.message(), "bad");
    assert_eq!(error.to_string(), "at `data.userId`: bad");
    assert_eq!(JsonError::new("bad").path(), ".");
    assert_eq!(JsonError::new("bad").to_string(), "at `.`: bad");

    let error = Vec::<User>::from_json(json!([{ "userId": ["SECRET-TOKEN"] }])).unwrap_err();
    let error = error.at("list").at("data");
    assert_eq!(error.path(), "data.list[0].userId");
    assert_eq!(error.message(), "expected a string, found an array");
    assert_eq!(error.to_string(), "at `data.list[0].userId`: expected a string, found an array");
    // Equality is by path and message.
    let same = Vec::<User>::from_json(json!([{ "userId": [] }])).unwrap_err().at("list").at("data");
    assert_eq!(error, same);
    assert_ne!(error, same.clone().at("outer"));
    assert_ne!(error, JsonError::new("other").at("userId").at("list").at("data"));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    let error = i64::from_json(json!("SECRET-TOKEN")).unwrap_err();
    assert!(!format!("{error} {error:?}").contains("SECRET"));
    let _: &dyn std::error::Error = &error;
}

#[test]
fn object_and_field_helpers() {
    assert_eq!(json::object(json!({ "a": 1 })).unwrap()["a"], 1);
    assert!(json::object(json!(null)).unwrap().is_empty());
    assert_eq!(json::object(json!(true)).unwrap_err().message(), "expected an object, found a boolean");
    assert_eq!(json::field::<i64>(json!("4"), "n").unwrap(), 4);
    assert_eq!(json::field::<i64>(json!("x"), "n").unwrap_err().path(), "n");
}

#[test]
fn to_json_of_every_type() {
    assert_eq!("text".to_owned().to_json(), json!("text"));
    assert_eq!(42i64.to_json(), json!(42));
    assert_eq!(i64::MIN.to_json(), json!(i64::MIN));
    assert_eq!(1.5f64.to_json(), json!(1.5));
    assert_eq!(f64::NAN.to_json(), json!(null));
    assert_eq!(true.to_json(), json!(true));
    assert_eq!(json!({ "a": [1] }).to_json(), json!({ "a": [1] }));
    let map: Map<String, Value> = json!({ "b": null }).as_object().unwrap().clone();
    assert_eq!(map.to_json(), json!({ "b": null }));
    assert_eq!(vec![1i64, 2].to_json(), json!([1, 2]));
    assert_eq!(Vec::<String>::new().to_json(), json!([]));
    assert_eq!(Some("x".to_owned()).to_json(), json!("x"));
    assert_eq!(None::<i64>.to_json(), json!(null));
    assert_eq!(Box::new(false).to_json(), json!(false));
    assert_eq!(vec![Some(1i64), None].to_json(), json!([1, null]));
    assert_eq!(Status::Suspended.to_json(), json!("Suspended"));
    assert_eq!(Status::Other("New".to_owned()).to_json(), json!("New"));
}

#[test]
fn put_some_leaves_out_none() {
    let mut map = Map::new();
    json::put_some(&mut map, "absent", &None::<String>);
    json::put_some(&mut map, "present", &Some(0i64));
    json::put_some(&mut map, "empty", &Some(String::new()));
    json::put(&mut map, "null", &None::<String>);
    json::put(&mut map, "list", &vec!["a".to_owned()]);
    assert_eq!(Value::Object(map), json!({ "present": 0, "empty": "", "null": null, "list": ["a"] }));

    let json = empty_user().to_json();
    let object = json.as_object().unwrap();
    for key in ["nickname", "previous", "manager"] {
        assert!(!object.contains_key(key), "{key} in {json}");
    }
    assert_eq!(object["status"], "");
    assert_eq!(object["reports"], json!([]));
}

#[test]
fn models_round_trip() {
    let user = User::from_json(full_user()).unwrap();
    let json = user.to_json();
    // Everything but the whole floats written back as floats.
    assert_eq!(json["manager"]["userId"], "m1");
    assert_eq!(json["previous"], "Locked");
    assert_eq!(User::from_json(json).unwrap(), user);
    assert_eq!(User::from_json(empty_user().to_json()).unwrap(), empty_user());
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(Status::from_json(json!("Activated")).unwrap(), Status::Activated);
    assert_eq!(Status::from_json(json!("Archived")).unwrap(), Status::Other("Archived".to_owned()));
    assert_eq!(Status::from_json(json!("activated")).unwrap(), Status::Other("activated".to_owned()));
    assert_eq!(Status::from_json(json!(2)).unwrap(), Status::Other("2".to_owned()));
    assert_eq!(Status::from_json(json!(false)).unwrap(), Status::Other("false".to_owned()));
    assert_eq!(Status::from_json(json!(null)).unwrap(), Status::Other(String::new()));
    assert_eq!(error_of::<Status>(json!({})), err(".", "expected a string, found an object"));
    // Unknown values go back out unchanged.
    let statuses = Vec::<Status>::from_json(json!(["Suspended", "Archived"])).unwrap();
    assert_eq!(statuses.to_json(), json!(["Suspended", "Archived"]));
    assert_eq!(json::enum_to_json(&Status::Activated), json!("Activated"));
    assert_eq!(Status::from_json(json!("Suspended")).unwrap(), Status::Suspended);
}

/// A user's own serde type embedding a model through the bridge functions.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Mine {
    note: String,
    #[serde(deserialize_with = "json::deserialize", serialize_with = "json::serialize")]
    user: User,
    #[serde(deserialize_with = "json::deserialize", serialize_with = "json::serialize")]
    statuses: Vec<Status>,
}

#[test]
fn serde_bridge_round_trips() {
    let text = json!({ "note": "n", "user": full_user(), "statuses": ["Activated", "Gone"] }).to_string();
    let mine: Mine = serde_json::from_str(&text).unwrap();
    assert_eq!(mine.user, User::from_json(full_user()).unwrap());
    assert_eq!(mine.statuses, [Status::Activated, Status::Other("Gone".to_owned())]);

    let written = serde_json::to_value(&mine).unwrap();
    assert_eq!(written["user"], mine.user.to_json());
    assert_eq!(written["statuses"], json!(["Activated", "Gone"]));
    let again: Mine = serde_json::from_value(written).unwrap();
    assert_eq!(again, mine);
    assert_eq!(serde_json::from_str::<Mine>(&serde_json::to_string(&again).unwrap()).unwrap(), mine);
}

#[test]
fn serde_bridge_reports_the_path() {
    let text = json!({ "note": "n", "user": { "reports": [{ "age": "SECRET" }] }, "statuses": [] }).to_string();
    let error = serde_json::from_str::<Mine>(&text).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("at `reports[0].age`: expected an integer, found a string"), "{message}");
    assert!(!message.contains("SECRET"), "{message}");
}
