//! Who a container's processes run as, from `--user` and the container's
//! `/etc/passwd` and `/etc/group`.

use super::file_text;
use crate::state::State;

/// The user a process runs as: `over` (an exec's `-u`), else the
/// container's, else `root`.
pub(crate) fn user_of(state: &State, cid: &str, over: Option<&str>) -> String {
    if let Some(user) = over.filter(|u| !u.is_empty()) {
        return user.to_string();
    }
    state
        .containers
        .get(cid)
        .map(|c| if c.user.is_empty() { "root".to_string() } else { c.user.clone() })
        .unwrap_or_else(|| "root".into())
}

/// A name `--user` gives that the container's files do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownId {
    /// Not in `/etc/passwd`, and not a number.
    User(String),
    /// Not in `/etc/group`, and not a number.
    Group(String),
}

impl UnknownId {
    /// As dockerd refuses to start the container.
    pub fn daemon_message(&self) -> String {
        match self {
            UnknownId::User(u) => format!("unable to find user {u}: no matching entries in passwd file"),
            UnknownId::Group(g) => format!("unable to find group {g}: no matching entries in group file"),
        }
    }
}

/// Who a container's processes run as: `(id, name)` of the user, of the
/// group, and of every group it is in (its own first), from `--user` and
/// the container's `/etc/passwd` and `/etc/group`.
pub struct Identity {
    /// The user.
    pub user: (String, Option<String>),
    /// The primary group.
    pub group: (String, Option<String>),
    /// Every group, the primary one first.
    pub groups: Vec<(String, Option<String>)>,
}

/// The container's [`Identity`]; a name its files do not know is an error.
pub fn identity(state: &State, cid: &str) -> Result<Identity, UnknownId> {
    identity_as(state, cid, None)
}

/// The [`Identity`] of a process in container `cid` running as `over`
/// (see [`user_of`]): the groups `--group-add` gives (`HostConfig.GroupAdd`,
/// ids or names) come after the user's own, as dockerd adds them.
pub fn identity_as(state: &State, cid: &str, over: Option<&str>) -> Result<Identity, UnknownId> {
    let table = |path: &str| -> Vec<Vec<String>> {
        let text = file_text(state, cid, "/", path).unwrap_or_default();
        text.lines().map(|l| l.split(':').map(str::to_string).collect::<Vec<_>>()).filter(|f| f.len() >= 4).collect()
    };
    let (passwd, groups) = (table("/etc/passwd"), table("/etc/group"));
    let spec = user_of(state, cid, over);
    let (user, group) = spec.split_once(':').map_or((spec.as_str(), None), |(u, g)| (u, Some(g)));
    let numeric = |s: &str| s.parse::<u32>().is_ok();
    let entry = passwd.iter().find(|f| f[0] == user || (numeric(user) && f[2] == user));
    let uid = match entry {
        Some(f) => f[2].clone(),
        None if numeric(user) => user.to_string(),
        None => return Err(UnknownId::User(user.to_string())),
    };
    let gid = match group {
        Some(g) => match groups.iter().find(|f| f[0] == g) {
            Some(f) => f[2].clone(),
            None if numeric(g) => g.to_string(),
            None => return Err(UnknownId::Group(g.to_string())),
        },
        None => entry.map_or_else(|| "0".to_string(), |f| f[3].clone()),
    };
    let group_name = |gid: &str| groups.iter().find(|f| f[2] == gid).map(|f| f[0].clone());
    let user_name = entry.map(|f| f[0].clone());
    let mut member_of = vec![(gid.clone(), group_name(&gid))];
    if let Some(name) = &user_name {
        for f in groups.iter().filter(|f| f[2] != gid && f[3].split(',').any(|m| m == name)) {
            member_of.push((f[2].clone(), Some(f[0].clone())));
        }
    }
    let added =
        state.containers.get(cid).and_then(|c| c.kept.pointer("/HostConfig/GroupAdd")).and_then(|g| g.as_array());
    for g in added.into_iter().flatten() {
        let g = g.as_str().map(str::to_string).unwrap_or_else(|| g.to_string());
        let gid = match groups.iter().find(|f| f[0] == g) {
            Some(f) => f[2].clone(),
            None if numeric(&g) => g,
            None => return Err(UnknownId::Group(g)),
        };
        if !member_of.iter().any(|(id, _)| *id == gid) {
            member_of.push((gid.clone(), group_name(&gid)));
        }
    }
    Ok(Identity { user: (uid, user_name), group: (gid.clone(), group_name(&gid)), groups: member_of })
}
