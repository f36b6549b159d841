//! PHP notices before the JSON (a panel showing PHP errors): one whole JSON value after whole
//! notices decodes; anything that leaves a doubt stays [`PanelError::NonJson`], as before.

use smm_panel::{decode, PanelError};

const NOTICE: &str = "<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/api.php</b> on line <b>12</b><br />\n";
const WARNING: &str = "<br />\n<b>Warning</b>:  Undefined array key \"runs\" in <b>/var/www/api.php</b> on line <b>214</b><br />\n";
const DEPRECATED: &str = "<br />\n<b>Deprecated</b>:  Function create_function() is deprecated in <b>/var/www/app/helpers.php</b> on line <b>7</b><br />\n";
const PLAIN: &str = "\nNotice: Undefined index: x in /var/www/api.php on line 12\n";

fn order_id(body: &str) -> Result<String, PanelError> {
    decode::placed_order(body.as_bytes()).map(|p| p.id)
}

#[test]
fn one_json_value_after_whole_notices_decodes() {
    let many = [NOTICE, WARNING, DEPRECATED].concat().repeat(12);
    for prefix in [
        NOTICE.to_owned(),
        WARNING.to_owned(),
        DEPRECATED.to_owned(),
        PLAIN.to_owned(),
        format!("\u{feff}{NOTICE}"),
        NOTICE.replace("<br />", "<br>"),
        NOTICE.replace("<br />", "<br/>"),
        "PHP Warning:  Undefined variable $x in /var/www/api.php on line 3\n".to_owned(),
        "<b>Strict Standards</b>: Non-static method A::b() should not be called statically in <b>/x.php</b> on line <b>5</b><br />".to_owned(),
        many,
    ] {
        let body = format!("{prefix}{{\"order\": 183}}\n");
        assert_eq!(order_id(&body).unwrap(), "183", "{body:?}");
    }
    let noisy_catalog = format!(
        "{NOTICE}{WARNING}{}",
        r#"[{"service":"1","name":"A","type":"Default","category":"C","rate":"0.9","min":"10","max":"100"}]"#
    );
    assert_eq!(decode::services(noisy_catalog.as_bytes()).unwrap().len(), 1);
    let noisy_error = format!("{DEPRECATED}{{\"error\":\"Not enough funds on balance\"}}");
    let e = decode::placed_order(noisy_error.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "provider.insufficient_funds", "{e:?}");
    let three = [NOTICE, WARNING, PLAIN, "[1]"].concat();
    let counted = decode::php_notices(three.as_bytes());
    assert_eq!(counted.map(|n| (n.count, n.json)), Some((3, &b"[1]"[..])));
}

#[test]
fn anything_ambiguous_stays_not_json() {
    let ambiguous = [
        // Two JSON values.
        format!("{NOTICE}{{\"order\": 183}}{{\"order\": 184}}"),
        format!("{NOTICE}{{\"order\": 183}}\n{NOTICE}{{\"order\": 184}}"),
        // JSON inside the notice text.
        "<br />\n<b>Notice</b>:  Undefined index: {\"order\":1} in <b>/a.php</b> on line <b>1</b><br />\n{\"order\": 183}".to_owned(),
        "<br />\n<b>Notice</b>:  Array [0] in <b>/a.php</b> on line <b>1</b><br />\n{\"order\": 183}".to_owned(),
        // Truncated JSON.
        format!("{NOTICE}{{\"order\": 18"),
        // Something after the JSON.
        format!("{NOTICE}{{\"order\": 183}}{NOTICE}"),
        format!("{NOTICE}{{\"order\": 183}} done"),
        // A notice cut short, or not a notice at all.
        "<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/api.php</b> on line {\"order\": 183}".to_owned(),
        "<br />\n<b>Notice</b>:  Undefined index: x<br />\n{\"order\": 183}".to_owned(),
        "<br />\n<b>Fatal error</b>:  Uncaught Error in <b>/a.php</b> on line <b>1</b><br />\n{\"order\": 183}".to_owned(),
        "<b>Note</b>: x in <b>/a.php</b> on line <b>1</b>{\"order\": 183}".to_owned(),
        format!("<html>{NOTICE}{{\"order\": 183}}"),
        format!("Hello {NOTICE}{{\"order\": 183}}"),
        // Notices with nothing after them.
        NOTICE.to_owned(),
        format!("{NOTICE}\"183\""),
        format!("{NOTICE}183"),
    ];
    for body in ambiguous {
        let e = order_id(&body).unwrap_err();
        match &e {
            PanelError::NonJson {
                http_status,
                snippet,
            } => {
                assert_eq!(*http_status, 200);
                // The snippet is the body's start, as for any reply that is not JSON.
                assert!(
                    body.trim_start().starts_with(snippet.as_str()),
                    "{body:?}: {snippet:?}"
                );
            }
            other => panic!("{body:?}: expected NonJson, got {other:?}"),
        }
        assert!(decode::services(body.as_bytes()).is_err(), "{body:?}");
        assert!(decode::balance(body.as_bytes()).is_err(), "{body:?}");
    }
}

#[test]
fn clean_bodies_are_not_notices() {
    for body in [
        &b"{\"order\": 183}"[..],
        b"",
        b"<html></html>",
        b"Notice",
        NOTICE.as_bytes(),
    ] {
        assert_eq!(decode::php_notices(body), None, "{body:?}");
    }
}
