//! Lesson goals: JSON patterns matched against what the learner has done.
//!
//! A level's goal is a list of checks, each a pattern over the *progress
//! document*:
//!
//! ```json
//! { "state":    { ...the engine state (contract::State)... },
//!   "last":     { "command": "...", "stdout": "...", "stderr": "...", "exit_code": 0 },
//!   "seen":     [ { "daemon": "local", "method": "GET", "path": "/version", "status": 200 } ],
//!   "commands": [ "docker version" ] }
//! ```
//!
//! Patterns are plain JSON with a few operators, so lessons stay pure data and
//! never mention random ids:
//! - an object matches an object whose listed keys match (other keys are
//!   ignored);
//! - an array `[p, q]` matches an array in which some element matches `p` and
//!   some element matches `q`;
//! - a scalar matches an equal scalar;
//! - `{"$contains": "text"}` matches a string containing `text`;
//! - `{"$none": p}` matches an array (or a missing value) with no element
//!   matching `p`;
//! - `{"$len": n}` matches an array of exactly `n` elements;
//! - `{"$min": n}` matches a number `>= n`, or an array of at least `n`
//!   elements;
//! - `{"$not": p}` matches whatever `p` does not;
//! - `{"$any": [p, q]}` matches what `p` or `q` matches;
//! - `{"$count": {"match": p, "min": n, "max": m}}` matches an array with
//!   between `n` and `m` elements matching `p` (either bound may be left
//!   out): "three running containers".
//!
//! ```
//! use dockhand_playground_web::goal::matches;
//! use serde_json::json;
//! let state = json!({"containers": [{"id": "4f1c", "name": "web", "state": "running"}]});
//! assert!(matches(&json!({"containers": [{"name": "web", "state": "running"}]}), &state));
//! assert!(matches(&json!({"containers": {"$none": {"state": "exited"}}}), &state));
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One check of a level's goal.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Check {
    /// What the learner must achieve, in words (shown as a checklist item).
    pub text: String,
    /// The pattern over the progress document.
    pub expect: Value,
}

/// Whether `actual` matches `pattern` (see the module documentation).
pub fn matches(pattern: &Value, actual: &Value) -> bool {
    match pattern {
        Value::Object(map) if map.len() == 1 && map.keys().next().is_some_and(|k| k.starts_with('$')) => {
            let (op, arg) = map.iter().next().expect("one entry");
            operator(op, arg, actual)
        }
        Value::Object(map) => {
            let Value::Object(have) = actual else { return false };
            map.iter().all(|(k, p)| matches(p, have.get(k).unwrap_or(&Value::Null)))
        }
        Value::Array(items) => {
            let Value::Array(have) = actual else { return false };
            items.iter().all(|p| have.iter().any(|a| matches(p, a)))
        }
        Value::Number(n) => actual.as_f64().is_some_and(|a| n.as_f64() == Some(a)),
        scalar => scalar == actual,
    }
}

fn operator(op: &str, arg: &Value, actual: &Value) -> bool {
    match op {
        "$contains" => match (arg, actual) {
            (Value::String(needle), Value::String(hay)) => hay.contains(needle.as_str()),
            _ => false,
        },
        "$none" => match actual {
            Value::Array(have) => !have.iter().any(|a| matches(arg, a)),
            Value::Null => true,
            _ => false,
        },
        "$len" => match actual {
            Value::Array(have) => arg.as_u64() == Some(have.len() as u64),
            _ => false,
        },
        "$min" => match actual {
            Value::Array(have) => arg.as_u64().is_some_and(|n| have.len() as u64 >= n),
            Value::Number(n) => n.as_f64().zip(arg.as_f64()).is_some_and(|(a, b)| a >= b),
            _ => false,
        },
        "$not" => !matches(arg, actual),
        "$any" => match arg {
            Value::Array(alternatives) => alternatives.iter().any(|p| matches(p, actual)),
            _ => false,
        },
        "$count" => {
            let Value::Array(have) = actual else { return false };
            let n = have.iter().filter(|a| matches(arg.get("match").unwrap_or(&Value::Null), a)).count() as u64;
            let min = arg.get("min").and_then(Value::as_u64).unwrap_or(0);
            let max = arg.get("max").and_then(Value::as_u64).unwrap_or(u64::MAX);
            arg.get("match").is_some() && n >= min && n <= max
        }
        // An unknown operator is a mistake in the lesson data: it never
        // matches, so the level cannot be completed by accident.
        _ => false,
    }
}

/// Which of `checks` the progress document meets.
pub fn evaluate(checks: &[Check], progress: &Value) -> Vec<bool> {
    checks.iter().map(|c| matches(&c.expect, progress)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_ignore_unlisted_keys_and_ids() {
        let actual = json!({"name": "web", "id": "f00", "state": "running"});
        assert!(matches(&json!({"name": "web"}), &actual));
        assert!(!matches(&json!({"name": "db"}), &actual));
        assert!(!matches(&json!({"missing": "x"}), &actual));
        assert!(matches(&json!({"missing": null}), &actual));
    }

    #[test]
    fn arrays_need_a_match_for_each_pattern_element() {
        let actual = json!([{"n": 1}, {"n": 2}]);
        assert!(matches(&json!([{"n": 2}, {"n": 1}]), &actual));
        assert!(!matches(&json!([{"n": 3}]), &actual));
        assert!(matches(&json!([]), &actual));
        assert!(!matches(&json!([]), &json!({})));
    }

    #[test]
    fn operators() {
        assert!(matches(&json!({"$contains": "Hello"}), &json!("Hello from Docker!")));
        assert!(!matches(&json!({"$contains": "Bye"}), &json!("Hello")));
        assert!(!matches(&json!({"$contains": "1"}), &json!(1)));
        assert!(matches(&json!({"$none": {"state": "running"}}), &json!([{"state": "exited"}])));
        assert!(!matches(&json!({"$none": {"state": "exited"}}), &json!([{"state": "exited"}])));
        assert!(matches(&json!({"$none": 1}), &Value::Null));
        assert!(matches(&json!({"$len": 2}), &json!([1, 2])));
        assert!(!matches(&json!({"$len": 1}), &json!([1, 2])));
        assert!(matches(&json!({"$min": 2}), &json!([1, 2, 3])));
        assert!(matches(&json!({"$min": 2}), &json!(5)));
        assert!(!matches(&json!({"$min": 6}), &json!(5)));
        assert!(matches(&json!({"$not": "a"}), &json!("b")));
        assert!(matches(&json!({"$any": ["a", "b"]}), &json!("b")));
        assert!(!matches(&json!({"$any": "a"}), &json!("a")));
        assert!(!matches(&json!({"$bogus": 1}), &json!(1)));
        let three = json!([{"s": "running"}, {"s": "exited"}, {"s": "running"}, {"s": "running"}]);
        assert!(matches(&json!({"$count": {"match": {"s": "running"}, "min": 3}}), &three));
        assert!(!matches(&json!({"$count": {"match": {"s": "running"}, "min": 4}}), &three));
        assert!(matches(&json!({"$count": {"match": {"s": "exited"}, "max": 1}}), &three));
        assert!(!matches(&json!({"$count": {"match": {"s": "running"}, "max": 2}}), &three));
        assert!(!matches(&json!({"$count": {"min": 0}}), &three));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(matches(&json!(0), &json!(0.0)));
        assert!(!matches(&json!(0), &json!("0")));
    }

    #[test]
    fn evaluate_reports_each_check() {
        let checks = vec![
            Check { text: "a".into(), expect: json!({"x": 1}) },
            Check { text: "b".into(), expect: json!({"x": 2}) },
        ];
        assert_eq!(evaluate(&checks, &json!({"x": 1})), vec![true, false]);
    }
}
