//! `--csv` output opens in a spreadsheet without running what a file's author typed.

use std::io::Write;
use std::process::{Command, Stdio};

fn cascade_stdin(args: &[&str], input: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cascade"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cascade runs");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    let out = child.wait_with_output().expect("cascade ends");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

const HOSTILE: &str = "area,round,respondent,group,domain,level\n\
\"=HYPERLINK(\"\"http://x\"\")\",=1+1,ana,,clarity,2\n\
\"=HYPERLINK(\"\"http://x\"\")\",@SUM(A1),ana,,clarity,4\n\
\"+cmd|' /C calc'!A0\",=1+1,ben,,clarity,3\n";

#[test]
fn summary_csv_neutralises_formulas_in_text_fields() {
    let (code, out, err) = cascade_stdin(&["summary", "--csv", "-"], HOSTILE.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    let rows: Vec<&str> = out.lines().skip(1).filter(|l| l.contains("clarity")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows[0].starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",'=1+1,clarity,1,0,"), "{}", rows[0]);
    assert!(rows[1].starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),clarity,1,0,"), "{}", rows[1]);
    assert!(rows[2].starts_with("'+cmd|' /C calc'!A0,'=1+1,clarity,1,0,"), "{}", rows[2]);
}

#[test]
fn compare_csv_neutralises_formulas_and_keeps_negative_numbers() {
    let csv = "area,round,respondent,group,domain,level\n@Vale,b,ana,,clarity,4\n@Vale,f,ana,,clarity,2\n";
    let (code, out, err) = cascade_stdin(&["compare", "--csv", "--from", "b", "--to", "f", "-"], csv.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    let row = out.lines().find(|l| l.contains(",clarity,")).expect("a clarity row");
    assert!(row.starts_with("'@Vale,clarity,4,4,1,2,2,1,-2,-2,declined,"), "{row}");
}
