//! Go's `text/template` as the docker CLI runs it on `--format`: actions
//! with pipelines (`{{.Name | printf "%s!"}}`), variables (`{{$n :=
//! .Name}}`, `{{range $k, $v := .Labels}}`, `$`), `if`/`else if`/`else`,
//! `with` and `range` (each with `else`), parenthesised arguments
//! (`{{(index $conf 0).HostPort}}`), `{{-`/`-}}` trimming, docker's
//! functions (`json`, `join`, `split`, `title`, `upper`, `lower`, `pad`,
//! `truncate`) and Go's (`len`, `index`, `print`, `printf`, `println`,
//! `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `not`). Checked against
//! the docker CLI 28 on dockerd.
//!
//! `parse` turns the text into nodes, `exec` runs them on the data, `funcs`
//! holds the functions. Uses `serde_json` only, nothing else of the crate
//! (the `format` module calls it).

mod exec;
mod funcs;
mod parse;
mod value;

use serde_json::Value;

use exec::Run;
use parse::parse;

/// What the data is to Go, which decides what a missing field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// A struct of the CLI's, by its Go type (`docker ps --format` runs on
    /// `*formatter.ContainerContext`): a field it lacks at the top is an
    /// error naming the type, below it `<no value>`.
    Struct(&'static str),
    /// A map (`docker inspect -f` decodes the daemon's JSON into one): a
    /// missing key is an error.
    Map,
}

/// How deep blocks and parentheses may nest: hostile templates must not
/// exhaust the stack.
pub(super) const MAX_DEPTH: usize = 64;

/// Functions a template may call.
pub(super) const FUNCS: &[&str] = &[
    "json", "join", "split", "title", "upper", "lower", "pad", "truncate", "len", "index", "print", "printf",
    "println", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not",
];

/// Renders `tpl` (with `\t` and `\n` as the CLI reads them) on `data`;
/// `Err` with the CLI's message: `template parsing error: ` and Go's,
/// except for `docker ps`, whose words are `failed to parse template: ` and
/// `failed to execute template: `.
pub fn render(tpl: &str, data: &Value, kind: Data) -> Result<String, String> {
    let nodes = parse(tpl, kind)?;
    let mut run = Run { kind, root: data, scope: vec![("$".to_string(), data.clone())], out: String::new() };
    match run.list(&nodes, data) {
        Ok(()) => Ok(run.out),
        Err(e) => Err(format!("{}{e}", prefixes(kind).1)),
    }
}

/// The CLI's words before a parse error and before an execution error.
pub(super) fn prefixes(kind: Data) -> (&'static str, &'static str) {
    if kind == Data::Struct("*formatter.ContainerContext") {
        ("failed to parse template: ", "failed to execute template: ")
    } else {
        ("template parsing error: ", "template parsing error: ")
    }
}

/// Checks that `tpl` parses, as the CLI does before it has data to run it
/// on (a list with no rows still reports a template that does not parse).
pub fn check(tpl: &str, kind: Data) -> Result<(), String> {
    parse(tpl, kind).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inspect(tpl: &str) -> Result<String, String> {
        let data = json!({
            "Name": "/tp",
            "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 5668},
            "Config": {"Env": ["A=1", "PATH=/bin"], "Cmd": ["sleep", "300"], "Labels": {"team": "x"}},
            "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8082"}]}},
            "Mounts": [],
        });
        render(tpl, &data, Data::Map)
    }

    // The expected texts are the docker CLI 28.2's (rendered by the client:
    // the same on dockerd 20.10 and 28.5).
    #[test]
    fn templates_as_the_docker_cli_runs_them() {
        let cases = [
            (
                r#"{{range $p, $conf := .NetworkSettings.Ports}} {{$p}} -> {{(index $conf 0).HostPort}} {{end}}"#,
                " 80/tcp -> 8082 ",
            ),
            ("{{if .State.Running}}up{{else}}down{{end}}", "up"),
            ("{{if .State.Paused}}p{{else if .State.Running}}r{{else}}s{{end}}", "r"),
            ("{{with .Config.Labels}}{{.team}}{{end}}", "x"),
            ("{{range $i, $e := .Config.Env}}{{$i}}={{$e}};{{end}}", "0=A=1;1=PATH=/bin;"),
            ("{{len .Config.Env}} {{index .Config.Env 1}} {{index .Config.Labels \"team\"}}", "2 PATH=/bin x"),
            ("{{join .Config.Cmd \",\"}}", "sleep,300"),
            ("{{.Name | printf \"%s!\"}}", "/tp!"),
            ("{{printf \"%q %d %v\" .Name 3 .State.Pid}}", "\"/tp\" 3 5668"),
            ("{{$n := .Name}}{{$n}}", "/tp"),
            ("{{if eq .State.Status \"running\"}}yes{{end}}", "yes"),
            ("{{if not .State.Paused}}np{{end}}", "np"),
            ("{{range .Config.Env -}} X {{- end}}", "XX"),
            ("{{title \"hello world\"}} {{split \"a,b\" \",\"}}", "Hello World [a b]"),
            ("{{range .Mounts}}m{{else}}none{{end}}", "none"),
            ("{{.State.Pid | len}} {{upper .Name}}", "4 /TP"),
            ("{{and 1 0}} {{or 0 \"x\"}} {{lt 1 2}} {{ge 2 3}}", "0 x true false"),
            ("{{print \"a\" 1 2 \"b\"}}", "a1 2b"),
            ("{{json .Config.Labels}} {{\"lit\"}} {{true}} {{5}}", "{\"team\":\"x\"} lit true 5"),
            ("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{end}} {{$.Name}}", "team=x /tp"),
            ("{{with $x := .State}}{{$x.Status}}{{end}}", "running"),
            ("{{pad .Name 1 2}}|{{truncate .Name 2}}", " /tp  |/t"),
            (
                "{{/* a comment */}}{{.Config.Cmd}} {{.State}}",
                "[sleep 300] map[Paused:false Pid:5668 Running:true Status:running]",
            ),
        ];
        for (tpl, want) in cases {
            assert_eq!(inspect(tpl).as_deref(), Ok(want), "{tpl}");
        }
    }

    #[test]
    fn errors_are_the_clis() {
        let err = |tpl: &str| inspect(tpl).unwrap_err();
        assert_eq!(err("{{$x}}"), "template parsing error: template: :1: undefined variable \"$x\"");
        assert_eq!(err("{{end}}"), "template parsing error: template: :1: unexpected {{end}}");
        assert_eq!(err("{{if .State.Running}}"), "template parsing error: template: :1: unexpected EOF");
        assert_eq!(err("{{bogus .Name}}"), "template parsing error: template: :1: function \"bogus\" not defined");
        assert_eq!(err("{{.Name"), "template parsing error: template: :1: unclosed action");
        assert_eq!(
            err("{{index .Config.Env 5}}"),
            "template parsing error: template: :1:2: executing \"\" at <index .Config.Env 5>: error calling index: index out of range: 5"
        );
        assert_eq!(
            err("{{.NoSuch}}"),
            "template parsing error: template: :1:2: executing \"\" at <.NoSuch>: map has no entry for key \"NoSuch\""
        );
        assert_eq!(
            err("{{.Config.NoSuch}}"),
            "template parsing error: template: :1:9: executing \"\" at <.Config.NoSuch>: map has no entry for key \"NoSuch\""
        );
        // A struct of the CLI's: a missing field at the top is an error.
        let row = json!({"Names": "web"});
        let ps = Data::Struct("*formatter.ContainerContext");
        assert_eq!(
            render("{{.Name}}", &row, ps).unwrap_err(),
            "failed to execute template: template: :1:2: executing \"\" at <.Name>: can't evaluate field Name in type *formatter.ContainerContext"
        );
        assert_eq!(
            render("{{bogus}}", &row, ps).unwrap_err(),
            "failed to parse template: template: :1: function \"bogus\" not defined"
        );
        let images = Data::Struct("*formatter.imageContext");
        assert!(render("{{.Nope}}", &row, images).unwrap_err().starts_with("template parsing error: template: :1:2:"));
        assert_eq!(render("{{.Names}}", &row, ps).as_deref(), Ok("web"));
        // Hostile nesting is refused, not followed.
        assert!(render(&"{{if 1}}".repeat(500), &row, ps).is_err());
        assert!(render(&format!("{{{{{}1{}}}}}", "(".repeat(500), ")".repeat(500)), &row, ps).is_err());
    }
}
