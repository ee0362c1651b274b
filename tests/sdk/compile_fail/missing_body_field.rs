// `code` is a required body field of `assign-role`: leaving it out, or
// filling it with a default, does not compile.
use genauth::ManagementClient;
use genauth::management::AssignRoleRequest;

async fn assign(management: ManagementClient) -> Result<(), genauth::Error> {
    management.assign_role(&AssignRoleRequest::new(vec![])).await?;
    management.assign_role(&AssignRoleRequest { targets: vec![], ..Default::default() }).await?;
    Ok(())
}

fn main() {
    let _ = assign;
}
