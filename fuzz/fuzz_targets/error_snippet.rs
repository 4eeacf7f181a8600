//! Redaction of the body snippet an error keeps: every token value (`"access_token":"…"` and
//! the other secret keys) and every bearer credential is blanked, however many there are.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::Error;

/// How a secret appears in a body a gateway or proxy might echo.
const FORMS: [(&str, &str); 6] = [
    ("\"access_token\":\"", "\""),
    ("\"client_secret\":\"", "\""),
    ("\"refresh_token\":\"", "\""),
    ("\"id_token\": \"", "\""),
    ("Authorization: Bearer ", ""),
    ("authorization: bearer ", ""),
];

fuzz_target!(|secrets: Vec<(u8, &str)>| {
    let mut body = String::new();
    let mut expected = String::new();
    for (form, secret) in secrets {
        let (before, after) = FORMS[usize::from(form) % FORMS.len()];
        let secret: String = secret.chars().filter(char::is_ascii_alphanumeric).collect();
        for (out, value) in [(&mut body, secret.as_str()), (&mut expected, "[REDACTED]")] {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(before);
            out.push_str(value);
            out.push_str(after);
        }
    }
    if body.len() > 512 {
        return;
    }
    let err = Error::decode("x").with_body_snippet(body.as_bytes());
    assert_eq!(err.body_snippet(), Some(expected.as_str()), "body {body}");
});
