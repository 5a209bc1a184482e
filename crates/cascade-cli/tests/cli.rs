//! The `cascade` command as an evaluator runs it: real files, exit status, stdout, stderr.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "../../cascade-core/tests/support/contract.rs"]
mod support;

use support::assert_contract;

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn cascade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cascade")).args(args).output().expect("cascade runs")
}

fn cascade_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cascade"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cascade runs");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("cascade ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn contract(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(&format!("contract/{name}"))).unwrap()).unwrap()
}

#[test]
fn summary_json_reproduces_the_contract_example() {
    let out = cascade(&["summary", "--json", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &contract("summary.json"), "summary");
}

#[test]
fn compare_json_reproduces_the_contract_example() {
    let out = cascade(&["compare", "--json", "--from", "baseline", "--to", "followup", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &contract("compare.json"), "compare");
}

#[test]
fn stdin_reads_the_same_as_a_file() {
    let csv = std::fs::read(fixture("contract/workshop.csv")).unwrap();
    let out = cascade_stdin(&["summary", "--json", "-"], &csv);
    assert_eq!(out.status.code(), Some(0));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &contract("summary.json"), "summary");
}

#[test]
fn table_is_readable() {
    let out = cascade(&["summary", &fixture("contract/workshop.csv")]);
    let table = text(&out.stdout);
    assert!(table.starts_with("Example Vale: baseline (overall -, 2 of 7 domains scored)\n"), "{table}");
    assert!(table.contains("\nclarity      4       1  2.50     2.5    1    4  1.29       0.50       2.5  split\n"), "{table}");
    let out = cascade(&["compare", "--from", "baseline", "--to", "followup", &fixture("contract/workshop.csv")]);
    let table = text(&out.stdout);
    assert!(table.contains("\nclarity       2.5    3    +0.5   improved        +0.25      3   2     1     0  0.500\n"), "{table}");
}

#[test]
fn csv_output_has_one_row_per_domain() {
    let out = cascade(&["summary", "--csv", &fixture("contract/workshop.csv")]);
    let body = text(&out.stdout);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 1 + 2 * 7);
    assert!(lines[0].starts_with("area,round,domain,n,unsure,count_1,count_2,count_3,count_4,count_5,mean,median,"));
    assert!(lines[1].starts_with("Example Vale,baseline,clarity,4,1,1,1,1,1,0,2.5,2.5,1,4,1.2909944487358056,0.5,true,2.5,"), "{}", lines[1]);
    let out = cascade(&["compare", "--csv", "--from", "baseline", "--to", "followup", &fixture("contract/workshop.csv")]);
    let body = text(&out.stdout);
    assert!(body.contains("\nExample Vale,clarity,2.5,2.5,4,3,2.75,4,0.5,0.25,improved,3,2,1,0,0.5,,\n"), "{body}");
}

#[test]
fn bad_input_exits_1_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("cascade-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.csv");
    std::fs::write(&path, "area,round,respondent,group,domain,level\r\nVale,baseline,ana,education,clarity,2\r\nVale,baseline,ben,education,clarity,7\r\n").unwrap();
    let p = path.to_str().unwrap();
    let out = cascade(&["summary", "--json", p]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing is half-printed");
    assert_eq!(text(&out.stderr), format!("error: {p}: line 3: level \"7\" is not a whole number from 1 to 5 or \"unsure\"\n"));

    let out = cascade(&["summary", "/no/such/file.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "error: /no/such/file.csv: no such file\n");

    let out = cascade_stdin(&["summary", "-"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: <stdin>: the file is empty; expected a header row: area,round,respondent,group,domain,level\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_usage_exits_2() {
    let out = cascade(&["compare", "--from", "baseline", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--to <ROUND>"), "{}", text(&out.stderr));
    let out = cascade(&["summary", "--json", "--csv", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(2));
    let out = cascade(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cascade(&["compare", "--from", "baseline", "--to", "follow-up", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: no area has a round \"follow-up\"; rounds present: baseline, followup\n",
            fixture("contract/workshop.csv")
        )
    );
}

#[test]
fn assessment_json_is_read_like_csv() {
    let csv = std::fs::read(fixture("contract/workshop.csv")).unwrap();
    let docs = cascade_core::tidy::read_assessments(&csv[..], &cascade_core::Framework::cascade()).unwrap();
    let json = docs[0].to_json();
    let out = cascade_stdin(&["compare", "--json", "--from", "baseline", "--to", "followup", "-"], json.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &contract("compare.json"), "compare");

    let array = format!("[{json}]");
    let out = cascade_stdin(&["summary", "--json", "-"], array.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let bad = json.replacen("\"area\"", "\"colour\": 1, \"area\"", 1);
    let out = cascade_stdin(&["summary", "-"], bad.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: <stdin>: assessment: line 7, column 10: unknown field `colour`"), "{}", text(&out.stderr));
}

#[test]
fn another_framework_can_be_used() {
    let dir = std::env::temp_dir().join(format!("cascade-fw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fw = dir.join("mini.json");
    std::fs::write(
        &fw,
        r#"{"id": "mini", "version": "2", "name": "Mini",
            "levels": [{"label": "No"}, {"label": "Partly"}, {"label": "Yes"}],
            "domains": [{"id": "talk", "letter": "T", "title": "Talking", "description": "We talk.",
                         "descriptors": ["Rarely", "Sometimes", "Often"]}]}"#,
    )
    .unwrap();
    let data = dir.join("mini.csv");
    std::fs::write(&data, "area,round,respondent,group,domain,level\nVale,one,a,,talk,3\nVale,one,b,,talk,1\n").unwrap();
    let out = cascade(&["summary", "--json", "--framework", fw.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["framework"], "mini");
    assert_eq!(v["areas"][0]["rounds"][0]["overall"], 2.0);
    assert_eq!(v["areas"][0]["rounds"][0]["domains"][0]["counts"], serde_json::json!([1, 0, 1]));

    // Level 5 is off a three-level scale.
    std::fs::write(&data, "area,round,respondent,group,domain,level\nVale,one,a,,talk,5\n").unwrap();
    let out = cascade(&["validate", "--framework", fw.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("line 2: level \"5\" is not a whole number from 1 to 3 or \"unsure\""));

    std::fs::write(&fw, r#"{"id": "mini"}"#).unwrap();
    let out = cascade(&["validate", "--framework", fw.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("error: {}: framework: line 1, column 14: missing field `version`\n", fw.display())
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn validate_says_what_a_file_holds() {
    let out = cascade(&["validate", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("{}: ok: 1 area, 2 rounds (baseline, followup), 13 ratings\n", fixture("contract/workshop.csv"))
    );
}

#[test]
fn framework_prints_the_builtin() {
    let out = cascade(&["framework"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "cascade");
    assert_eq!(v["domains"].as_array().unwrap().len(), 7);
}

/// Big enough for the two-halves reader: the same answers as reading from a pipe, which is
/// always read whole, and the exact line for a fault the halves cannot see alone.
#[test]
fn large_files_read_in_halves_match_a_whole_read() {
    let dir = std::env::temp_dir().join(format!("cascade-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let domains = ["clarity", "contact", "structures", "outcomes", "learning", "integration", "evidence"];
    let mut csv = String::from("area,round,respondent,group,domain,level\r\n");
    let mut rows = 0;
    'fill: for area in 0.. {
        for round in ["baseline", "followup"] {
            for who in 0..20 {
                for (d, domain) in domains.iter().enumerate() {
                    let level = (area + who + d + usize::from(round == "followup")) % 5 + 1;
                    csv.push_str(&format!("Area {area:05},{round},r{who},education,{domain},{level}\r\n"));
                    rows += 1;
                }
            }
        }
        if csv.len() > 9 << 20 {
            break 'fill;
        }
    }
    let path = dir.join("big.csv");
    let p = path.to_str().unwrap();
    std::fs::write(&path, &csv).unwrap();
    for args in [vec!["summary", "--json"], vec!["compare", "--json", "--from", "baseline", "--to", "followup"]] {
        let mut file_args = args.clone();
        file_args.push(p);
        let from_file = cascade(&file_args);
        let mut pipe_args = args.clone();
        pipe_args.push("-");
        let from_pipe = cascade_stdin(&pipe_args, csv.as_bytes());
        assert_eq!(from_file.status.code(), Some(0), "{}", text(&from_file.stderr));
        assert!(from_file.stdout == from_pipe.stdout, "{args:?}: split and whole reads differ");
    }
    let out = cascade(&["validate", p]);
    assert_eq!(text(&out.stdout), format!("{p}: ok: {} areas, 2 rounds (baseline, followup), {rows} ratings\n", rows / 280));

    // A rating repeated in the second half of the file: only a whole read sees both.
    let mut dup = csv.clone();
    dup.push_str("Area 00000,baseline,r0,education,clarity,3\r\n");
    std::fs::write(&path, &dup).unwrap();
    let out = cascade(&["summary", p]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("error: {p}: line {}: respondent \"r0\" already rated clarity in round \"baseline\"\n", rows + 2)
    );
    std::fs::remove_dir_all(&dir).ok();
}
