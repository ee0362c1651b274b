#!/usr/bin/env python3
"""Extracts FACTS from the published official SDKs: for each SDK method, the
HTTP verb and path it calls, where each argument goes (query, JSON body,
nested payload, form) and which fixed values and client credentials it adds.
Nothing of the SDKs' code is written out, only these facts.

  extract.py --python-wheel W.whl --node-tgz N.tgz            # JSON on stdout
  extract.py --python-wheel W.whl --node-tgz N.tgz --check F  # exit 1 if F differs

Python (PyPI `authing`): the package is imported with stand-ins for its
third-party imports (`requests`, `jwt`, `websockets`) that record each request
instead of sending it; every public method of both clients is called with one
marker string per argument (`<arg:name>`) under each token-endpoint client
authentication method, and the recorded requests are the facts. A method that
sends nothing and returns a URL is a local helper.

Node (npm `authing-node-sdk`): the TypeScript sources are read for each public
method's `httpClient.request({method, url, params|data})`, and for methods
that delegate to another method of the client (the sign-in/sign-up wrappers),
the method they call, their fixed `connection` and their payload key.
Private helpers are listed too (marked): the protocol calls dispatch to one
per client authentication method.
"""

import argparse
import base64
import inspect
import io
import json
import re
import sys
import tarfile
import tempfile
import types
import urllib.parse
import zipfile

APP_ID = "<app_id>"
APP_SECRET = "<app_secret>"
HOST = "https://host"
AUTH_METHODS = ["client_secret_post", "client_secret_basic", "none"]


def marker(name):
    return "<arg:%s>" % name


# ---------------------------------------------------------------- python


class Recorder:
    def __init__(self):
        self.requests = []

    def request(self, method=None, url=None, headers=None, json=None, params=None, data=None, **_):
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers or {}), "json": json, "params": params, "data": data}
        )
        return FakeResponse(url)


class FakeResponse:
    def __init__(self, url):
        self.url = url
        self.status_code = 200
        self.text = "yes\nuser"

    def json(self):
        if url_path(self.url).endswith("/get-management-token"):
            claims = base64.urlsafe_b64encode(json.dumps({"scoped_userpool_id": "<userpool>"}).encode()).decode()
            return {"statusCode": 200, "data": {"access_token": "h.%s.s" % claims.rstrip("="), "expires_in": 7200}}
        return {"statusCode": 200, "data": {}, "keys": []}


def url_path(url):
    return urllib.parse.urlsplit(url).path


def install_stand_ins(recorder):
    requests = types.ModuleType("requests")
    requests.request = recorder.request
    requests.get = lambda url, **kw: recorder.request("GET", url, **kw)
    requests.post = lambda url, **kw: recorder.request("POST", url, **kw)
    sys.modules["requests"] = requests
    jwt = types.ModuleType("jwt")
    jwt.algorithms = types.SimpleNamespace(RSAAlgorithm=types.SimpleNamespace(from_jwk=lambda _: None))
    jwt.decode = lambda *a, **k: {}
    jwt.get_unverified_header = lambda _: {"kid": ""}
    sys.modules["jwt"] = jwt
    sys.modules["websockets"] = types.ModuleType("websockets")


def template(value, args):
    """Replaces argument markers by `{"arg": name}`; other values are fixed."""
    if isinstance(value, dict):
        return {k: template(v, args) for k, v in sorted(value.items()) if v is not None}
    if isinstance(value, list):
        return [template(v, args) for v in value]
    if isinstance(value, str):
        for name in args:
            if value == marker(name):
                return {"arg": name}
        return value
    return value


def describe_request(req, args):
    fact = {"verb": req["method"].upper(), "path": url_path(req["url"])}
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(req["url"]).query))
    query.update({k: v for k, v in (req["params"] or {}).items() if v is not None})
    if query:
        fact["query"] = template(query, args)
    if req["json"]:
        fact["json"] = template(req["json"], args)
    if req["data"]:
        fact["form"] = template(req["data"], args)
    auth = req["headers"].get("authorization")
    if auth and auth.startswith("Basic "):
        fact["authorization"] = "Basic base64(%s)" % base64.b64decode(auth[6:]).decode()
    return fact


def python_facts(wheel):
    tmp = tempfile.mkdtemp()
    zipfile.ZipFile(wheel).extractall(tmp)
    sys.path.insert(0, tmp)
    recorder = Recorder()
    install_stand_ins(recorder)
    from authing.AuthenticationClient import AuthenticationClient
    from authing.ManagementClient import ManagementClient

    def auth_client(method):
        return AuthenticationClient(
            app_id=APP_ID,
            app_host=HOST,
            app_secret=APP_SECRET,
            token_endpoint_auth_method=method,
            introspection_endpoint_auth_method=method,
            revocation_endpoint_auth_method=method,
            redirect_uri="<redirect_uri>",
            post_logout_redirect_uri="<post_logout_redirect_uri>",
        )

    def management_client(_):
        client = ManagementClient(access_key_id="<access_key_id>", access_key_secret="<access_key_secret>", host=HOST)
        return client

    facts = []
    for client_name, make, cls in [
        ("authentication", auth_client, AuthenticationClient),
        ("management", management_client, ManagementClient),
    ]:
        for name, function in sorted(inspect.getmembers(cls, inspect.isfunction)):
            if name.startswith("_") or name in ("set_access_token", "sub_event", "pub_event"):
                continue
            args = [p for p in inspect.signature(function).parameters if p != "self"]
            by_auth = {}
            for auth_method in AUTH_METHODS if client_name == "authentication" else [None]:
                client = make(auth_method)
                if client_name == "management":
                    client.http_client.token_provider.get_access_token()
                recorder.requests.clear()
                try:
                    result = getattr(client, name)(**{a: marker(a) for a in args})
                except Exception as err:  # noqa: BLE001 - an SDK-side refusal is a fact too
                    by_auth[auth_method] = {"refuses": type(err).__name__}
                    continue
                sent = [describe_request(r, args) for r in recorder.requests]
                if sent:
                    by_auth[auth_method] = {"requests": sent}
                elif isinstance(result, str) and result.startswith(HOST):
                    url = urllib.parse.urlsplit(result)
                    by_auth[auth_method] = {
                        "local_url": {
                            "path": url.path,
                            "query": template(dict(urllib.parse.parse_qsl(url.query)), args),
                        }
                    }
                else:
                    by_auth[auth_method] = {"local": True}
            fact = {"sdk": "python", "client": client_name, "name": name, "args": args}
            distinct = {json.dumps(v, sort_keys=True) for v in by_auth.values()}
            if len(distinct) == 1:
                fact.update(next(iter(by_auth.values())))
            else:
                fact["by_client_auth"] = by_auth
            facts.append(fact)
    return facts


# ---------------------------------------------------------------- node

METHOD_START = re.compile(r"^  (?:public |private |protected )?(?:static )?(?:async )?(\w+)\s*\(", re.M)
REQUEST = re.compile(r"httpClient\.request\(\{(.*?)\}\);", re.S)


def node_facts(tgz):
    facts = []
    with tarfile.open(tgz) as archive:
        for client_name, member in [
            ("authentication", "package/src/AuthenticationClient.ts"),
            ("management", "package/src/ManagementClient.ts"),
        ]:
            source = archive.extractfile(member).read().decode()
            starts = [(m.start(), m.group(1)) for m in METHOD_START.finditer(source)]
            for i, (start, name) in enumerate(starts):
                if name in ("constructor", "if", "for", "while", "switch", "catch", "return"):
                    continue
                end = starts[i + 1][0] if i + 1 < len(starts) else len(source)
                body = source[start:end]
                fact = {"sdk": "node", "client": client_name, "name": name}
                if source[start:].startswith("  private"):
                    fact["private"] = True
                sent = []
                for request in REQUEST.finditer(body):
                    config = request.group(1)
                    verb = re.search(r"method:\s*[\"'](\w+)[\"']", config)
                    url = re.search(r"url:\s*[\"'`]([^\"'`]+)[\"'`]", config)
                    paths = [url.group(1)] if url else re.findall(r"api = `(/o(?:idc|auth)/[^`]*)`", body)[:1]
                    if not verb or not paths:
                        continue
                    one = {"verb": verb.group(1).upper(), "path": paths[0]}
                    if re.search(r"\bparams\b", config):
                        one["placement"] = "query"
                    elif re.search(r"\bdata\b", config):
                        one["placement"] = "form" if "_generateTokenRequest" in body else "body"
                    if one not in sent:
                        sent.append(one)
                if sent:
                    fact["requests"] = sent
                delegate = re.search(r"return await this\.(signInByCredentials|signUp)\(", body)
                if delegate:
                    fact["calls"] = delegate.group(1)
                    connection = re.search(r"connection:\s*\w+\.connection\.(\w+)", body)
                    payload = re.search(r"(\w+Payload):\s*\{", body)
                    fact["connection"] = connection.group(1) if connection else None
                    fact["payload"] = payload.group(1) if payload else None
                if "requests" in fact or "calls" in fact:
                    facts.append(fact)
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-wheel", required=True)
    parser.add_argument("--node-tgz", required=True)
    parser.add_argument("--check", help="compare with this committed reference instead of printing")
    options = parser.parse_args()
    reference = {
        "about": "Facts extracted by tests/official-sdk/extract.py; regenerate, do not edit.",
        "sdks": {"python": "authing 5.1.0", "node": "authing-node-sdk 4.0.1"},
        "python": python_facts(options.python_wheel),
        "node": node_facts(options.node_tgz),
    }
    text = json.dumps(reference, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if options.check:
        with io.open(options.check, encoding="utf-8") as committed:
            if committed.read() != text:
                sys.stderr.write(
                    "%s is not what the published SDKs give; regenerate it with\n  %s --python-wheel %s --node-tgz %s > %s\n"
                    % (options.check, sys.argv[0], options.python_wheel, options.node_tgz, options.check)
                )
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
