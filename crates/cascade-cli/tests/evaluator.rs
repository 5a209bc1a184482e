//! What an evaluator does: survey exports in with `cascade import`, many files as one data set,
//! the programme's roll-up, and the checks across files. Exact output, exact messages.

use std::path::PathBuf;
use std::process::{Command, Output};

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

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(path)).unwrap()).unwrap()
}

/// A temporary folder, removed when the test ends.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("cascade-eval-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn file(&self, name: &str, body: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

const HEAD: &str = "area,round,respondent,group,domain,level\n";

#[test]
fn rollup_json_reproduces_the_contract_example() {
    let out = cascade(&["rollup", "--json", "--from", "baseline", "--to", "followup", &fixture("contract/programme.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &json("contract/rollup.json"), "rollup");
    assert_eq!(text(&out.stderr), "warning: 1 area lacks a round and is not compared: \"Northfield\" has no \"followup\"\n");
}

#[test]
fn rollup_json_reproduces_the_worked_example() {
    let out = cascade(&["rollup", "--json", "--from", "baseline", "--to", "followup", &fixture("rollup/worked.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contract(&ours, &json("rollup/worked.json"), "rollup");
    assert_eq!(ours["overall"]["unchanged"], 1);
}

#[test]
fn rollup_table_is_rounded_and_csv_is_exact() {
    let out = cascade(&["rollup", "--from", "baseline", "--to", "followup", &fixture("rollup/worked.csv")]);
    let table = text(&out.stdout);
    assert!(table.starts_with("baseline to followup: 5 areas (2 with both rounds overall)\n"), "{table}");
    assert!(
        table.contains("\nclarity          3         3     0         0        2  2.17  3.67   +1.50   +2.00  +0.50 to +2.00  0.250     -0.50    0.00\n"),
        "{table}"
    );
    assert!(table.contains("\noverall          2         1     1         0        3  2.75  3.00   +0.25   +0.25   0.00 to +0.50  1.000\n"), "{table}");
    let out = cascade(&["rollup", "--csv", "--from", "baseline", "--to", "followup", &fixture("rollup/worked.csv")]);
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 7 + 1);
    assert_eq!(lines[0], "domain,areas,improved,unchanged,declined,not_compared,mean_from,mean_to,mean_delta,median_delta,min_delta,max_delta,p_value,gap_from_areas,gap_from,gap_to_areas,gap_to");
    assert_eq!(lines[1], "clarity,3,3,0,0,2,2.1666666666666665,3.6666666666666665,1.5,2,0.5,2,0.25,2,-0.5,1,0");
    assert_eq!(lines[8], "overall,2,1,1,0,3,2.75,3,0.25,0.25,0,0.5,1,,,,");
}

#[test]
fn many_files_are_one_data_set() {
    let dir = Dir::new("many");
    let all = std::fs::read_to_string(fixture("contract/programme.csv")).unwrap();
    let (mut base, mut follow) = (HEAD.to_owned(), HEAD.to_owned());
    for line in all.lines().skip(1) {
        if line.contains(",baseline,") { base.push_str(line) } else { follow.push_str(line) }
        if line.contains(",baseline,") { base.push('\n') } else { follow.push('\n') }
    }
    let (b, f) = (dir.file("baseline.csv", &base), dir.file("followup.csv", &follow));
    let whole = cascade(&["rollup", "--json", "--from", "baseline", "--to", "followup", &fixture("contract/programme.csv")]);
    let split = cascade(&["rollup", "--json", "--from", "baseline", "--to", "followup", &b, &f]);
    assert_eq!(split.status.code(), Some(0), "{}", text(&split.stderr));
    assert_eq!(text(&split.stdout), text(&whole.stdout));
    // Respondents pair across files: the same comparison as one file.
    let whole = cascade(&["compare", "--json", "--from", "baseline", "--to", "followup", &fixture("contract/programme.csv")]);
    let split = cascade(&["compare", "--json", "--from", "baseline", "--to", "followup", &b, &f]);
    assert_eq!(text(&split.stdout), text(&whole.stdout));

    let out = cascade(&["summary", &b, &f, &b]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        format!("error: area \"Example Vale\" has round \"baseline\" in both {b} and {b}; give each area's round in one file\n")
    );
}

#[test]
fn round_names_spelt_nearly_alike_are_named_with_the_fix() {
    let dir = Dir::new("rounds");
    let a = dir.file("a.csv", &format!("{HEAD}Vale,baseline,a,,clarity,2\nVale,followup,a,,clarity,3\n"));
    let b = dir.file("b.csv", &format!("{HEAD}Dale,Baseline,b,,clarity,2\nDale,Follow-up,b,,clarity,4\n"));
    let c = dir.file("c.csv", &format!("{HEAD}Fell,baseline,c,,clarity,3\nFell,follow-up,c,,clarity,3\n"));
    let out = cascade(&["rollup", "--json", "--from", "baseline", "--to", "followup", &a, &b, &c]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "warning: rounds \"baseline\", \"Baseline\" differ only in case, spaces or hyphens, so they count as different rounds; \
         to count them as one, add --same-round Baseline=baseline\n\
         warning: rounds \"followup\", \"Follow-up\", \"follow-up\" differ only in case, spaces or hyphens, so they count as \
         different rounds; to count them as one, add --same-round Follow-up=followup --same-round follow-up=followup\n\
         warning: 2 areas lack a round and are not compared: \"Dale\" has neither (its rounds: \"Baseline\", \"Follow-up\"); \"Fell\" has no \"followup\"\n"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["areas"], 2);
    // The fix, as the warning gives it.
    let fixed = cascade(&[
        "rollup", "--json", "--from", "baseline", "--to", "followup", "--same-round", "Baseline=baseline",
        "--same-round", "Follow-up=followup", "--same-round", "follow-up=followup", &a, &b, &c,
    ]);
    assert_eq!(text(&fixed.stderr), "");
    let v: Value = serde_json::from_slice(&fixed.stdout).unwrap();
    assert_eq!((v["areas"].as_u64(), v["domains"][0]["improved"].as_u64(), v["domains"][0]["unchanged"].as_u64()), (Some(3), Some(2), Some(1)));

    let strict = cascade(&["compare", "--strict", "--from", "baseline", "--to", "followup", &a, &b]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(strict.stdout.is_empty());
    assert!(
        text(&strict.stderr).ends_with("error: 1 area lacks a round and is not compared: \"Dale\" has neither (its rounds: \"Baseline\", \"Follow-up\") (--strict)\n"),
        "{}",
        text(&strict.stderr)
    );
    let bad = cascade(&["summary", "--same-round", "Follow-up", &a]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(text(&bad.stderr), "error: --same-round wants OLD=NEW, such as Follow-up=followup; got \"Follow-up\"\n");
    let both = dir.file("both.csv", &format!("{HEAD}Vale,baseline,a,,clarity,2\nVale,Baseline,b,,clarity,3\n"));
    let clash = cascade(&["summary", "--same-round", "Baseline=baseline", &both]);
    assert_eq!(clash.status.code(), Some(1));
    assert_eq!(
        text(&clash.stderr),
        "error: assessment: area \"Vale\" has both round \"Baseline\" and round \"baseline\", so they cannot be made one\n"
    );
}

#[test]
fn respondent_ids_differing_only_in_case_are_named_and_paired_on_request() {
    // The follow-up's names were retyped in another case: as tidy CSV they are other people.
    let dir = Dir::new("people");
    let b = dir.file("b.csv", &format!("{HEAD}Vale,baseline,Sarah Jones,education,clarity,2\nVale,baseline,Ed,education,clarity,3\nVale,baseline,Mo,education,clarity,2\n"));
    let f = dir.file("f.csv", &format!("{HEAD}Vale,followup,sarah  jones,education,clarity,4\nVale,followup,ED,education,clarity,1\nVale,followup,Mo,education,clarity,3\n"));
    let out = cascade(&["compare", "--csv", "--from", "baseline", "--to", "followup", &b, &f]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "warning: respondent ids that differ only in case or spaces count as different people, so their ratings are not paired: \
         \"Vale\" has \"Sarah Jones\" and \"sarah  jones\"; \"Vale\" has \"Ed\" and \"ED\"; if each is one person, add --ignore-respondent-case\n"
    );
    // Clarity's pairs: n, improved, unchanged, declined.
    let row = |csv: &str| {
        let mut lines = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
        let head = lines.next().unwrap();
        let row = lines.next().unwrap();
        ["paired_n", "improved", "unchanged", "declined"].map(|c| row[head.iter().position(|h| *h == c).unwrap()]).join(",")
    };
    assert_eq!(row(&text(&out.stdout)), "1,1,0,0");
    let paired = cascade(&["compare", "--csv", "--ignore-respondent-case", "--from", "baseline", "--to", "followup", &b, &f]);
    assert_eq!(text(&paired.stderr), "");
    assert_eq!(row(&text(&paired.stdout)), "3,2,0,1");

    // Two people who both rated a domain in one round are never made one.
    let two = dir.file("two.csv", &format!("{HEAD}Vale,baseline,sam,,clarity,2\nVale,baseline,Sam,,clarity,3\n"));
    let out = cascade(&["summary", "--ignore-respondent-case", &two]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        "error: area \"Vale\": respondents \"Sam\" and \"sam\" both rated clarity in round \"baseline\", so they cannot be made one\n"
    );
}

#[test]
fn a_survey_export_given_as_tidy_csv_points_to_import() {
    let export = fixture("forms/google-baseline.csv");
    let out = cascade(&["rollup", "--from", "baseline", "--to", "followup", &export]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {export}: this looks like a survey export, not tidy CSV (its column \"Clarity on remit, roles and \
             responsibilities of partner organisations\" is a domain); turn it into tidy CSV with \
             `cascade import --round ROUND {export}` first\n"
        )
    );
    // Another wrong header keeps its own message.
    let dir = Dir::new("header");
    let other = dir.file("other.csv", "area,round,person,group,domain,level\n");
    let out = cascade(&["summary", &other]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {other}: line 1: unknown column \"person\"; the header must be area,round,respondent,group,domain,level, in any order\n")
    );
}

#[test]
fn import_reads_a_google_forms_csv() {
    let out = cascade(&["import", "--round", "baseline", &fixture("forms/google-baseline.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "area,round,respondent,group,domain,level");
    assert_eq!(lines.len(), 1 + 26);
    // "2 - Emerging", "Don't know", the email as the respondent, lowercased.
    assert_eq!(lines[1], "North Vale,baseline,sarah.jones@school.example,education,clarity,2");
    assert_eq!(lines[6], "North Vale,baseline,sarah.jones@school.example,education,integration,unsure");
    // A bare "3" is level 3; CAMHS is mental health; the blank answer is no rating.
    assert_eq!(lines[10], "North Vale,baseline,ahmed@camhs.example,mental-health,structures,3");
    assert!(!csv.contains("ahmed@camhs.example,mental-health,learning"));
    // ICB is a commissioner; "Not sure" is unsure; an unknown organisation is other.
    assert_eq!(lines[20], "North Vale,baseline,lee@icb.example,commissioner,evidence,unsure");
    assert_eq!(lines[21], "North Vale,baseline,pat@forum.example,other,clarity,2");
    let f = fixture("forms/google-baseline.csv");
    assert_eq!(
        text(&out.stderr),
        format!(
            "{f}: 4 responses, 26 ratings (2 unsure), 1 blank answer, 1 unknown answer\n\
             {f}: area column \"Area\"; round \"baseline\" (--round); respondent column \"Email address\"; group column \"What type of organisation do you work for?\"\n\
             {f}: 7 domain columns; not used: \"Timestamp\", \"Your name\"\n\
             {f}: line 5, column 12: unknown answer \"Sometimes\" to evidence: not rated\n\
             {f}: organisation type \"Parent carer forum\" (1 response, first at line 5, column 5) is not a known group: counted as other\n"
        )
    );
}

#[test]
fn import_reads_a_microsoft_forms_workbook_and_pairs_people_across_rounds() {
    let dir = Dir::new("xlsx");
    let (b, f) = (dir.path("b.csv"), dir.path("f.csv"));
    let out = cascade(&["import", "--round", "baseline", "-o", &b, &fixture("forms/google-baseline.csv")]);
    assert_eq!(out.status.code(), Some(0));
    let out = cascade(&["import", "--round", "followup", "-o", &f, &fixture("forms/ms-followup.xlsx")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let x = fixture("forms/ms-followup.xlsx");
    assert_eq!(
        text(&out.stderr),
        format!(
            "{x}: 4 responses, 27 ratings (3 unsure), 1 blank answer, 0 unknown answers\n\
             {x}: area column \"Which local area are you part of?\"; round \"followup\" (--round); respondent column \"Email\"; group column \"Organisation type\"\n\
             {x}: 7 domain columns; not used: \"ID\", \"Start time\", \"Completion time\", \"Name\", \"Last modified time\"\n"
        )
    );
    let csv = std::fs::read_to_string(&f).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    // " sarah.jones@SCHOOL.example " trimmed and lowercased; the label "Developing" and "3. Developing".
    assert_eq!(lines[1], "North Vale,followup,sarah.jones@school.example,education,clarity,3");
    assert_eq!(lines[7], "North Vale,followup,sarah.jones@school.example,education,evidence,3");
    // Number cells.
    assert_eq!(lines[9], "North Vale,followup,ahmed@camhs.example,mental-health,contact,4");
    // "anonymous" is no respondent; "Embedded", "Not sure", "Don’t know"; the empty cell is no rating.
    assert_eq!(&lines[15..18], ["North Vale,followup,,education,clarity,5", "North Vale,followup,,education,contact,unsure", "North Vale,followup,,education,structures,unsure"]);
    assert_eq!(lines[18], "North Vale,followup,,education,learning,4");
    // "4 - Established", "Unsure".
    assert_eq!(lines[27], "North Vale,followup,lee@icb.example,commissioner,evidence,unsure");
    // Sarah typed her email differently at follow-up, and still pairs.
    let out = cascade(&["compare", "--json", "--from", "baseline", "--to", "followup", &b, &f]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let clarity = &v["areas"][0]["domains"][0]["paired"];
    assert_eq!((clarity["n"].as_u64(), clarity["improved"].as_u64(), clarity["unchanged"].as_u64()), (Some(3), Some(2), Some(1)));
}

#[test]
fn import_recognises_each_rule() {
    let dir = Dir::new("rules");
    // Ids and numbered titles as headers, a Workshop and an Area column, a Name without an
    // Email, ID never the respondent, level labels, "3. Developing", "4 – Established".
    let file = dir.file(
        "rules.csv",
        "ID;Name;Local area;Workshop;Organisation type;1. CLARITY on remit, roles & responsibilities of partner organisations;contact;Q3 Structures to support shared planning and collaborative working\r\n\
         7;  Sarah   Jones ;Vale;Baseline;St Mary's Academy;3. Developing;Developing;4 \u{2013} Established\r\n\
         8;sarah jones;Vale;Follow-up;Mental Health Support Team;Dont know;5;\r\n\
         9;Kim;Vale;Baseline;Borough Council;1;not in place;Unsure\r\n\
         10;Lou;Vale;Baseline;Voluntary sector charity;2;;\r\n\
         11;Max;Vale;Baseline;;2;;\r\n",
    );
    let out = cascade(&["import", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "area,round,respondent,group,domain,level\n\
         Vale,Baseline,sarah jones,education,clarity,3\n\
         Vale,Baseline,sarah jones,education,contact,3\n\
         Vale,Baseline,sarah jones,education,structures,4\n\
         Vale,Follow-up,sarah jones,mental-health,clarity,unsure\n\
         Vale,Follow-up,sarah jones,mental-health,contact,5\n\
         Vale,Baseline,kim,local-authority,clarity,1\n\
         Vale,Baseline,kim,local-authority,contact,1\n\
         Vale,Baseline,kim,local-authority,structures,unsure\n\
         Vale,Baseline,lou,voluntary-sector,clarity,2\n\
         Vale,Baseline,max,other,clarity,2\n"
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "{file}: 5 responses, 10 ratings (2 unsure), 5 blank answers, 0 unknown answers\n\
             {file}: area column \"Local area\"; round column \"Workshop\"; respondent column \"Name\"; group column \"Organisation type\"\n\
             {file}: 3 domain columns; not used: \"ID\"\n"
        )
    );
    // A value a spreadsheet would run is written safe, and reads back as it was.
    let formula = dir.file("formula.csv", "Area,Email,Clarity\n=HYPERLINK(\"x\"),+a@b,3\n");
    let out = cascade(&["import", "--round", "b", &formula]);
    assert_eq!(text(&out.stdout), "area,round,respondent,group,domain,level\n\"'=HYPERLINK(\"\"x\"\")\",b,'+a@b,other,clarity,3\n");
    let tidy = dir.file("formula-tidy.csv", &text(&out.stdout));
    let v: Value = serde_json::from_slice(&cascade(&["summary", "--json", &tidy]).stdout).unwrap();
    assert_eq!(v["areas"][0]["area"], "=HYPERLINK(\"x\")");
    // --area overrides the column.
    let out = cascade(&["import", "--area", "Dale", &file]);
    assert!(text(&out.stdout).starts_with("area,round,respondent,group,domain,level\nDale,Baseline,sarah jones,education,clarity,3\n"));
    // With one --round for all, Sarah's two responses are one round: refused.
    let out = cascade(&["import", "--round", "b", &file]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {file}: line 3, column 2: \"sarah jones\" answered twice in area \"Vale\", round \"b\" (first at line 2); keep one of the two responses\n")
    );
}

#[test]
fn import_refuses_what_it_cannot_read_naming_the_cell() {
    let dir = Dir::new("refuse");
    let cases: Vec<(String, Vec<&str>, String)> = vec![
        (
            fixture("forms/off-scale.csv"),
            vec!["--round", "b"],
            format!("error: {}: line 2, column 6: answer \"7\" to clarity is not a level from 1 to 5\n", fixture("forms/off-scale.csv")),
        ),
        (
            fixture("forms/twice.csv"),
            vec!["--round", "b"],
            format!(
                "error: {}: line 3, column 2: \"a@x.example\" answered twice in area \"North Vale\", round \"b\" (first at line 2); keep one of the two responses\n",
                fixture("forms/twice.csv")
            ),
        ),
        (
            fixture("forms/twice.csv"),
            vec![],
            format!(
                "error: {}: no round: give --round ROUND (such as --round baseline), or a column headed \"Round\" or \"Workshop\"\n",
                fixture("forms/twice.csv")
            ),
        ),
    ];
    for (file, flags, message) in cases {
        let mut args = vec!["import"];
        args.extend(flags);
        args.push(&file);
        let out = cascade(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "nothing is half-printed: {args:?}");
        assert_eq!(text(&out.stderr), message);
    }
    let no_area = dir.file("no-area.csv", "Email,Clarity\na@b,3\n");
    let out = cascade(&["import", "--round", "b", &no_area]);
    assert_eq!(text(&out.stderr), format!("error: {no_area}: no area: give --area NAME, or a column headed \"Area\"\n"));
    let empty_area = dir.file("empty-area.csv", "Email,Area,Clarity\na@b,,3\n");
    let out = cascade(&["import", "--round", "b", &empty_area]);
    assert_eq!(text(&out.stderr), format!("error: {empty_area}: line 2, column 2: the area is empty (column \"Area\")\n"));
    let no_domain = dir.file("no-domain.csv", "Email,Area,Question 1\na@b,Vale,3\n");
    let out = cascade(&["import", "--round", "b", &no_domain]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {no_domain}: no column is a domain of the framework; a domain's column header must contain its title, such as \
             \"Clarity on remit, roles and responsibilities of partner organisations\", or its id, such as \"clarity\"; or name the \
             columns in a --mapping file (see cascade import --help)\n"
        )
    );
    let two = dir.file("two.csv", "Area,Clarity,clarity (again)\nVale,3,3\n");
    let out = cascade(&["import", "--round", "b", &two]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {two}: columns \"Clarity\" and \"clarity (again)\" both look like domain clarity; say which in a --mapping file\n")
    );
    let binary = dir.file("x.csv", "\u{7f}ELF\u{2}\u{1}\u{1}\0\0\0");
    let out = cascade(&["import", "--round", "b", &binary]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {binary}: this is not a text file (a program or a PDF?); expected a survey export (.xlsx or CSV)\n")
    );
    // The output file the user had is left as it was.
    let kept = dir.file("kept.csv", "precious\n");
    let out = cascade(&["import", "--round", "b", "-o", &kept, &fixture("forms/off-scale.csv")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "precious\n");
}

#[test]
fn a_written_mapping_reads_back_to_the_same_result() {
    let dir = Dir::new("mapping");
    let mapping = dir.path("mapping.json");
    let first = cascade(&["import", "--round", "followup", "--write-mapping", &mapping, &fixture("forms/ms-followup.xlsx")]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stderr).ends_with(&format!("wrote the mapping to {mapping}\n")));
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&mapping).unwrap()).unwrap();
    assert_eq!(m["schema_version"], 1);
    assert_eq!(m["respondent"], "Email");
    assert_eq!(m["area"], "Which local area are you part of?");
    assert_eq!(m["domains"]["evidence"], "7. Evidence-based approach to intervention");
    // Every answer and organisation type the file holds, with what it was read as, to check.
    assert_eq!(
        m["answers"],
        serde_json::json!({"2": 2, "3": 3, "3 - Developing": 3, "3. Developing": 3, "4": 4, "4 - Established": 4,
            "Developing": 3, "Don’t know": "unsure", "Embedded": 5, "Emerging": 2, "Established": 4,
            "Not sure": "unsure", "Unsure": "unsure"})
    );
    assert_eq!(
        m["groups"],
        serde_json::json!({"CAMHS": "mental-health", "Integrated Care Board": "commissioner",
            "Primary school": "education", "Secondary academy": "education"})
    );
    // docs/mapping.schema.json names exactly the fields a mapping has.
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(fixture("../../docs/mapping.schema.json")).unwrap()).unwrap();
    let mut fields: Vec<&str> = schema["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["answers", "area", "domains", "group", "groups", "respondent", "round", "schema_version"]);
    for key in m.as_object().unwrap().keys() {
        assert!(fields.contains(&key.as_str()), "{key} is not in the schema");
    }
    let with_round = dir.path("with-round.json");
    let rules = dir.file("r.csv", "Area,Round,Email,Clarity\nVale,b,a@b,3\n");
    cascade(&["import", "--write-mapping", &with_round, &rules]);
    let m2: Value = serde_json::from_str(&std::fs::read_to_string(&with_round).unwrap()).unwrap();
    assert_eq!(m2["round"], "Round");
    // An answer it did not know is written as what it counted as, no rating, for the user to change.
    let odd = dir.file("odd.csv", "Area,Email,Clarity,Contact\nVale,a@b,Maybe,Established\n");
    let odd_mapping = dir.path("odd.json");
    cascade(&["import", "--round", "b", "--write-mapping", &odd_mapping, &odd]);
    let m3: Value = serde_json::from_str(&std::fs::read_to_string(&odd_mapping).unwrap()).unwrap();
    assert_eq!(m3["answers"], serde_json::json!({"Maybe": null, "Established": 4}));
    std::fs::write(&odd_mapping, std::fs::read_to_string(&odd_mapping).unwrap().replace("\"Maybe\": null", "\"Maybe\": 2")).unwrap();
    let fixed = cascade(&["import", "--round", "b", "--mapping", &odd_mapping, &odd]);
    assert_eq!(text(&fixed.stdout), "area,round,respondent,group,domain,level\nVale,b,a@b,other,clarity,2\nVale,b,a@b,other,contact,4\n");
    let again = cascade(&["import", "--round", "followup", "--mapping", &mapping, &fixture("forms/ms-followup.xlsx")]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(text(&again.stdout), text(&first.stdout));

    // A mapping says what recognition cannot: a column by name, an answer, an organisation type.
    let custom = dir.file(
        "custom.json",
        r#"{"schema_version": 1, "area": "Partnership", "respondent": "Who",
            "domains": {"clarity": "Q1", "evidence": "Q7"},
            "answers": {"Sometimes": 3, "Skip": null, "No idea": "unsure"},
            "groups": {"Parent carer forum": "voluntary-sector"}}"#,
    );
    let data = dir.file("data.csv", "Who,Partnership,Org,Q1,Q7\nAna,Vale,Parent carer forum,Sometimes,No idea\nBo,Vale,CAMHS,Skip,2\n");
    let out = cascade(&["import", "--round", "b", "--mapping", &custom, &data]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "area,round,respondent,group,domain,level\nVale,b,ana,other,clarity,3\nVale,b,ana,other,evidence,unsure\nVale,b,bo,other,evidence,2\n"
    );
    // The group column was not named, so it is not used.
    assert!(text(&out.stderr).contains("not used: \"Org\""), "{}", text(&out.stderr));

    let bad = dir.file("bad.json", r#"{"schema_version": 1, "colour": "red"}"#);
    let out = cascade(&["import", "--round", "b", "--mapping", &bad, &data]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with(&format!("error: {bad}: mapping: line 1, column 30: unknown field `colour`")),
        "{}",
        text(&out.stderr)
    );
    let missing = dir.file("missing.json", r#"{"schema_version": 1, "area": "Region", "domains": {"clarity": "Q1"}}"#);
    let out = cascade(&["import", "--round", "b", "--mapping", &missing, &data]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {data}: the mapping's area column \"Region\" is not in the file; its columns are \"Who\", \"Partnership\", \"Org\", \"Q1\", \"Q7\"\n")
    );
    let wrong = dir.file("wrong.json", r#"{"schema_version": 1, "answers": {"Sometimes": "3"}}"#);
    let out = cascade(&["import", "--round", "b", "--mapping", &wrong, &data]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {wrong}: mapping: answer \"Sometimes\" is given \"3\"; give a level from 1 to 5, \"unsure\", or null for no rating\n")
    );
    let version = dir.file("v2.json", r#"{"schema_version": 2}"#);
    let out = cascade(&["import", "--round", "b", "--mapping", &version, &data]);
    assert_eq!(text(&out.stderr), format!("error: {version}: mapping: schema_version 2 is not known; this cascade reads version 1\n"));
}

#[test]
fn smaller_points_of_the_evaluators_trial() {
    let dir = Dir::new("small");
    // Compare's table is rounded; its CSV keeps full precision.
    let out = cascade(&["compare", "--from", "baseline", "--to", "followup", &fixture("contract/programme.csv")]);
    let table = text(&out.stdout);
    assert!(!table.contains("0000000"), "{table}");
    assert!(table.contains("(overall 1.86 to 2.71, change +0.86)"), "{table}");
    // No pairs, no p.
    let lone = dir.file("lone.csv", &format!("{HEAD}Vale,baseline,,,clarity,2\nVale,followup,,,clarity,3\n"));
    let out = cascade(&["compare", "--from", "baseline", "--to", "followup", &lone]);
    assert!(text(&out.stdout).contains("\nclarity         2   3      +1   improved        +1.00      0   0     0     0  -\n"), "{}", text(&out.stdout));

    // Excel's `sep=,` first line.
    let sep = dir.file("sep.csv", &format!("sep=,\r\n{HEAD}Vale,baseline,a,,clarity,2\n"));
    let out = cascade(&["validate", &sep]);
    assert_eq!(text(&out.stdout), format!("{sep}: ok: 1 area, 1 round (baseline), 1 rating\n"));

    // validate lists every fault of a file, not just the first.
    let bad = dir.file("bad.csv", &format!("{HEAD}Vale,baseline,a,,clarity,2\nVale,baseline,b,,clarty,3\nVale,baseline,c,,clarity,9\n"));
    let out = cascade(&["validate", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {bad}: line 3: unknown domain \"clarty\"; expected one of clarity, contact, structures, outcomes, learning, integration, evidence\n\
             error: {bad}: line 4: level \"9\" is not a whole number from 1 to 5 or \"unsure\"\n\
             error: the file is not valid\n"
        )
    );

    // Files that are not tidy CSV say what they are.
    let utf16 = dir.file("utf16.txt", "");
    std::fs::write(&utf16, b"\xFF\xFEa\0r\0e\0a\0").unwrap();
    let out = cascade(&["summary", &utf16]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {utf16}: this is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead\n")
    );
    let out = cascade(&["summary", env!("CARGO_BIN_EXE_cascade")]);
    assert_eq!(
        text(&out.stderr),
        format!("error: {}: this is not a text file (a program or a PDF?); expected tidy CSV or assessment JSON\n", env!("CARGO_BIN_EXE_cascade"))
    );
    let out = cascade(&["summary", &fixture("forms/ms-followup.xlsx")]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: this is a zip file, probably an Excel workbook (.xlsx); turn it into tidy CSV with `cascade import`\n",
            fixture("forms/ms-followup.xlsx")
        )
    );
    let open = dir.file("open.csv", &format!("{HEAD}Vale,baseline,a,,clarity,2\nVale,\"baseline,b,,clarity,3\n"));
    let out = cascade(&["summary", &open]);
    assert_eq!(text(&out.stderr), format!("error: {open}: line 3: a quote opened on this line is never closed\n"));

    // An error in a JSON array is placed at the file's own line.
    let doc = cascade_core::tidy::read_assessments(
        std::fs::read(fixture("contract/workshop.csv")).unwrap().as_slice(),
        &cascade_core::Framework::cascade(),
    )
    .unwrap()[0]
        .to_json();
    let bad_doc = doc.replacen("\"area\"", "\"colour\": 1, \"area\"", 1);
    let array = dir.file("array.json", &format!("[\n{doc},\n{bad_doc}\n]\n"));
    let out = cascade(&["summary", &array]);
    let line = 2 + doc.lines().count() + bad_doc.lines().take_while(|l| !l.contains("colour")).count();
    assert!(
        text(&out.stderr).starts_with(&format!("error: {array}: document 2: assessment: line {line}, column 10: unknown field `colour`")),
        "{}",
        text(&out.stderr)
    );

    // -o writes the file; help has examples and says what --csv prints.
    let out_file = dir.path("out.json");
    let out = cascade(&["summary", "--json", "-o", &out_file, &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(v["framework"], "cascade");
    // A device is written to, never replaced by a file.
    let out = cascade(&["summary", "--json", "-o", "/dev/stdout", &fixture("contract/workshop.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("{\"framework\":\"cascade\""));
    // /dev/stdout is still the link it was, not a file renamed over it. (Its target, this
    // test's own stdout, may well be a file when the test's output is redirected.)
    assert!(std::fs::symlink_metadata("/dev/stdout").unwrap().file_type().is_symlink());
    for cmd in ["import", "summary", "compare", "rollup", "report", "validate"] {
        let help = text(&cascade(&[cmd, "--help"]).stdout);
        assert!(help.contains("Examples:\n  cascade "), "{cmd} --help has examples:\n{help}");
    }
    assert!(text(&cascade(&["compare", "--help"]).stdout).contains("--csv prints one row per area and domain."));
}

#[test]
fn csv_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = Dir::new("pipe");
    let mut csv = HEAD.to_owned();
    for i in 0..20_000 {
        csv.push_str(&format!("Area {i},baseline,a,,clarity,2\nArea {i},followup,a,,clarity,3\n"));
    }
    let file = dir.file("big.csv", &csv);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cascade"))
        .args(["compare", "--csv", "--from", "baseline", "--to", "followup", &file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `head -1` does, and close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn report_is_written_only_with_an_output_file() {
    let dir = Dir::new("report");
    let out = cascade(&["report", "--from", "baseline", "--to", "followup", &fixture("contract/programme.csv")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: report needs -o FILE, such as -o report.html\n");
    let html = dir.path("report.html");
    let out = cascade(&["report", "--from", "baseline", "--to", "followup", "-o", &html, &fixture("contract/programme.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!("warning: 1 area lacks a round and is not compared: \"Northfield\" has no \"followup\"\nwrote {html} (5 areas)\n")
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>\n<html lang=\"en-GB\">"));
    assert_eq!(page.matches("<section class=\"area\"").count(), 5);
    // The overall row of the roll-up, as the contract has it: 3 compared, 1 up, 1 same, 1 down, 2 not.
    assert!(page.contains("<tr class=\"total\"><th scope=\"row\">Overall score</th><td>3</td><td>1</td><td>1</td><td>1</td><td>2</td><td>1.000</td></tr>"));
    assert!(page.contains("<tr class=\"total\"><th scope=\"row\">Overall score</th><td>2.62</td><td>2.81</td><td>+0.19</td><td>0.00</td><td>\u{2212}0.29</td><td>+0.86</td></tr>"));
    // Area names are text, never markup.
    assert!(page.contains("<h2 id=\"area-3\">Hill &amp; Dale</h2>"));
    assert!(!page.contains("<script"));
}

/// JSON at a terminal is indented, in a pipe compact; both have the same keys in the same order.
/// `script` (util-linux) gives the command a terminal.
#[test]
fn terminal_and_pipe_json_agree_but_for_indentation() {
    let dir = Dir::new("tty");
    let log = dir.path("tty.txt");
    let bin = env!("CARGO_BIN_EXE_cascade");
    let cmd = format!("{bin} compare --json --from baseline --to followup {}", fixture("contract/workshop.csv"));
    let status = Command::new("script").args(["-qec", &cmd, &log]).stdin(std::process::Stdio::null()).output().expect("script runs");
    assert_eq!(status.status.code(), Some(0), "{}", text(&status.stderr));
    let tty = std::fs::read_to_string(&log).unwrap().replace('\r', "");
    let tty = &tty[tty.find('{').unwrap()..];
    let end = tty.rfind('}').unwrap();
    let tty = &tty[..=end];
    assert!(tty.contains("\n  \"from\": \"baseline\""), "indented at a terminal");
    let piped = text(&cascade(&["compare", "--json", "--from", "baseline", "--to", "followup", &fixture("contract/workshop.csv")]).stdout);
    // Same document, key for key: the compact form is the indented one without its white space.
    let squeezed: Vec<&str> = tty.lines().map(str::trim).collect();
    assert_eq!(squeezed.concat().replace("\": ", "\":"), piped.trim_end());
}
