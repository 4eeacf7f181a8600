//! Account Verification API, "Verify account": Verification of Payee with a deterministic
//! name-matching rule (see ASSUMPTIONS.md; OP's path and JSON shape are not public).
//!
//! The rule: both names are normalised (lower case, diacritics folded, punctuation and
//! whitespace collapsed, company-form words such as Oy/Ab/Oyj/Ltd dropped); equal → `MTCH`,
//! within a small edit distance → `CMTC` with the holder's name, otherwise `NMTC`. Accounts
//! at banks that do not take part (Holvi, Itella/S-Pankki prefixes 799/715, and every
//! non-Finnish IBAN) answer `NOAP`, as does a malformed-but-shaped IBAN in lenient mode.

use serde_json::json;

use super::body::{self, req_str};
use super::errors::{invalid, json_response};
use super::ids;
use super::{Bank, Request, Response};

/// The payees the emulated banks know: IBAN → account holder's name as registered.
const DIRECTORY: &[(&str, &str)] = &[
    ("FI1857200020001234", "Asunto Oy Kuusikko"),
    ("FI5110003500012345", "Kone & Terä Oy"),
    ("FI3740060120098765", "Sähkö Oy"),
    ("FI2112345600000785", "Aino Virtanen"),
    ("FI3859991620004143", "Rakennus Kivi Oy"),
    ("FI6359991620004275", "Vuokratalot Oyj"),
    ("FI6679300011112222", "Metsä Ab"),
];

/// BICs of banks that, in the emulator, do not support name matching.
const NOT_SUPPORTING: &[&str] = &["HOLVFIHH", "ITELFIHH"];

/// Company-form words ignored when comparing names.
const COMPANY_FORMS: &[&str] = &[
    "oy", "oyj", "ab", "abp", "ltd", "limited", "ky", "tmi", "ay", "inc", "plc", "gmbh",
];

/// Longest payee name accepted, as SEPA's `Nm`.
const MAX_NAME_CHARS: usize = 140;

impl Bank {
    /// POST /corporate-account-verification/v1/verify-account.
    pub(super) fn verify_account(&self, req: &Request<'_>) -> Response {
        let obj = match body::parse_object(req.content_type, req.body) {
            Ok(o) => o,
            Err(r) => return r,
        };
        let (iban, name) = match (req_str(&obj, "iban"), req_str(&obj, "name")) {
            (Ok(i), Ok(n)) => (i, n),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return invalid(format!(
                "field `name` must have 1..{MAX_NAME_CHARS} characters"
            ));
        }
        let valid = ids::iban_is_valid(iban);
        if !(valid || (self.config.lenient_iban && ids::iban_has_shape(iban))) {
            return invalid(format!("field `iban` {iban:?} is not a valid IBAN"));
        }
        let (result, matched) = outcome(iban, name, valid);
        let mut body = json!({ "result": result });
        if let Some(holder) = matched {
            body["matchedName"] = json!(holder);
        }
        json_response(200, &body, false)
    }
}

/// The ISO outcome for a name at an IBAN, with the holder's name on a close match.
fn outcome(iban: &str, name: &str, valid: bool) -> (&'static str, Option<&'static str>) {
    let supported =
        valid && ids::bic_for_iban(iban).is_some_and(|bic| !NOT_SUPPORTING.contains(&bic));
    if !supported {
        return ("NOAP", None);
    }
    let Some(&(_, holder)) = DIRECTORY.iter().find(|(i, _)| *i == iban) else {
        return ("NMTC", None);
    };
    let given = normalise(name);
    let held = normalise(holder);
    if given == held {
        return ("MTCH", None);
    }
    let limit = if held.chars().count() < 8 { 1 } else { 2 };
    if !given.is_empty() && edit_distance(&given, &held) <= limit {
        ("CMTC", Some(holder))
    } else {
        ("NMTC", None)
    }
}

/// Lower case, diacritics folded, `&` as "and", other punctuation dropped, whitespace
/// collapsed, company-form words removed.
fn normalise(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'á' | 'à' | 'â' | 'å' | 'ã' => folded.push('a'),
            'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' => folded.push('o'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'ü' | 'ú' | 'ù' | 'û' => folded.push('u'),
            'í' | 'ì' | 'î' | 'ï' => folded.push('i'),
            'š' => folded.push('s'),
            'ž' => folded.push('z'),
            'ç' => folded.push('c'),
            'ñ' => folded.push('n'),
            '&' => folded.push_str(" and "),
            c if c.is_alphanumeric() => folded.push(c),
            _ => folded.push(' '),
        }
    }
    folded
        .split_whitespace()
        .filter(|word| !COMPANY_FORMS.contains(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_case_diacritics_spacing_and_company_forms() {
        assert_eq!(normalise("  KONE &  Terä   OY "), "kone and tera");
        assert_eq!(normalise("Kone ja Tera Ltd."), "kone ja tera");
        assert_eq!(normalise("Asunto Oy Kuusikko"), "asunto kuusikko");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn outcomes() {
        let kone = "FI5110003500012345";
        assert_eq!(outcome(kone, "kone & tera", true), ("MTCH", None));
        assert_eq!(outcome(kone, "Kone & Terä Oyj", true), ("MTCH", None));
        assert_eq!(
            outcome(kone, "Kone & Tero Oy", true),
            ("CMTC", Some("Kone & Terä Oy"))
        );
        assert_eq!(outcome(kone, "Puu ja Lauta Oy", true), ("NMTC", None));
        assert_eq!(
            outcome("FI1857200020001234", "Asunto Oy Kuusikko", true).0,
            "MTCH"
        );
        assert_eq!(outcome("FI1857200020001235", "x", false).0, "NOAP");
        // An account nobody registered, at a supporting bank.
        assert_eq!(outcome("FI4950009420028730", "Anyone", true).0, "NMTC");
        // Holvi does not take part.
        assert_eq!(
            outcome(&ids::finnish_iban("79900000000017"), "x", true).0,
            "NOAP"
        );
        assert_eq!(outcome("DE89370400440532013000", "x", true).0, "NOAP");
    }
}
