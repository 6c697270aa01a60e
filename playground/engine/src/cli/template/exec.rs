//! Running a parsed template on data: fields, variables, pipelines and
//! blocks, with Go's truth and printing.

use serde_json::Value;

use super::Data;
use super::funcs::call;
use super::parse::{Arg, Cmd, Kind, Node, Pipe};
use super::value::{go_print, truth};

pub(super) struct Run<'a> {
    pub(super) kind: Data,
    pub(super) root: &'a Value,
    pub(super) scope: Vec<(String, Value)>,
    pub(super) out: String,
}

impl Run<'_> {
    pub(super) fn list(&mut self, nodes: &[Node], dot: &Value) -> Result<(), String> {
        for node in nodes {
            match node {
                Node::Text(t) => self.out.push_str(t),
                Node::Print(pipe) => {
                    let v = self.pipe(pipe, dot)?;
                    if pipe.decl.is_empty() {
                        self.out.push_str(&go_print(&v));
                    }
                }
                Node::Block { kind, pipe, body, alt } => {
                    let scope = self.scope.len();
                    let v = self.pipe(pipe, dot)?;
                    match kind {
                        Kind::If if truth(&v) => self.list(body, dot)?,
                        Kind::With if truth(&v) => self.list(body, &v)?,
                        Kind::Range => {
                            let entries: Vec<(Value, Value)> = match &v {
                                Value::Array(a) => {
                                    a.iter().enumerate().map(|(i, e)| (Value::from(i), e.clone())).collect()
                                }
                                Value::Object(o) => {
                                    o.iter().map(|(k, e)| (Value::String(k.clone()), e.clone())).collect()
                                }
                                _ => Vec::new(),
                            };
                            if entries.is_empty() {
                                self.list(alt, dot)?;
                            }
                            for (key, elem) in entries {
                                self.scope.truncate(scope);
                                match pipe.decl.as_slice() {
                                    [one] => self.scope.push((one.clone(), elem.clone())),
                                    [k, e] => {
                                        self.scope.push((k.clone(), key));
                                        self.scope.push((e.clone(), elem.clone()));
                                    }
                                    _ => {}
                                }
                                self.list(body, &elem)?;
                            }
                        }
                        _ => self.list(alt, dot)?,
                    }
                    self.scope.truncate(scope);
                }
            }
        }
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut last: Option<Value> = None;
        for cmd in &pipe.cmds {
            last = Some(self.command(cmd, dot, last)?);
        }
        let v = last.unwrap_or(Value::Null);
        if let [name] = pipe.decl.as_slice() {
            self.scope.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn command(&mut self, cmd: &Cmd, dot: &Value, piped: Option<Value>) -> Result<Value, String> {
        let Some(Arg::Func(name)) = cmd.args.first() else {
            if piped.is_some() || cmd.args.len() > 1 {
                return Err(format!(
                    "template: :1:{}: executing \"\" at <{}>: can't give argument to non-function {}",
                    cmd.pos, cmd.src, cmd.src
                ));
            }
            return self.arg(&cmd.args[0], dot);
        };
        let mut args = Vec::new();
        for a in &cmd.args[1..] {
            args.push(self.arg(a, dot)?);
        }
        args.extend(piped);
        call(name, &args).map_err(|e| {
            format!("template: :1:{}: executing \"\" at <{}>: error calling {name}: {e}", cmd.pos, cmd.src)
        })
    }

    fn arg(&mut self, arg: &Arg, dot: &Value) -> Result<Value, String> {
        match arg {
            Arg::Lit(v) => Ok(v.clone()),
            Arg::Func(name) => call(name, &[]),
            Arg::Field(names, pos) => self.fields(dot.clone(), names, *pos, true),
            Arg::Var(name, names, pos) => {
                let v = if name == "$" {
                    self.root.clone()
                } else {
                    self.scope.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or(Value::Null)
                };
                self.fields(v, names, *pos, false)
            }
            Arg::Sub(pipe, names, pos) => {
                let v = self.pipe(pipe, dot)?;
                self.fields(v, names, *pos, false)
            }
        }
    }

    /// `.A.B` on `v`; a missing name is an error on a map, and on a struct
    /// at its top (`top`: the chain starts at the data itself).
    fn fields(&self, mut v: Value, names: &[String], pos: usize, top: bool) -> Result<Value, String> {
        let chain: String = names.iter().map(|n| format!(".{n}")).collect();
        for (i, name) in names.iter().enumerate() {
            v = match v {
                Value::Object(mut o) => match o.remove(name) {
                    Some(inner) => inner,
                    None if self.kind == Data::Map => {
                        let at = pos + names[..i].iter().map(|n| n.len() + 1).sum::<usize>();
                        let at = if i + 1 == names.len() { at } else { pos };
                        return Err(format!(
                            "template: :1:{at}: executing \"\" at <{chain}>: map has no entry for key \"{name}\""
                        ));
                    }
                    None if top && i == 0 => {
                        let Data::Struct(go_type) = self.kind else { unreachable!("maps are handled above") };
                        return Err(format!(
                            "template: :1:{pos}: executing \"\" at <{chain}>: can't evaluate field {name} in type {go_type}"
                        ));
                    }
                    None => Value::Null,
                },
                _ => Value::Null,
            };
        }
        Ok(v)
    }
}
