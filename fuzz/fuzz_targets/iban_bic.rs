//! IBANs and BICs: parsing ignores spaces and case, and every printed form (electronic,
//! grouped) parses back to the same value; the parts put together give the whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::domain::bic::Bic;
use opcorp::domain::iban::Iban;

fuzz_target!(|text: &str| {
    if let Ok(iban) = Iban::parse(text) {
        let electronic = iban.as_str();
        assert!((5..=34).contains(&electronic.len()), "{electronic}");
        assert_eq!(iban.grouped().replace(' ', ""), electronic);
        for form in [
            electronic.to_owned(),
            iban.grouped(),
            electronic.to_ascii_lowercase(),
        ] {
            assert_eq!(Iban::parse(&form).ok(), Some(iban), "{form}");
        }
        let joined = format!("{}{}{}", iban.country(), iban.check_digits(), iban.bban());
        assert_eq!(joined, electronic);
        assert_eq!(iban.is_finnish(), electronic.starts_with("FI"));
        if let Some(bic) = Bic::for_finnish_iban(&iban) {
            assert!(iban.is_finnish());
            assert_eq!(Bic::parse(bic.as_str()).ok(), Some(bic));
        }
    }
    if let Ok(bic) = Bic::parse(text) {
        let code = bic.as_str();
        assert!(code.len() == 8 || code.len() == 11, "{code}");
        let joined = format!(
            "{}{}{}{}",
            bic.bank_code(),
            bic.country(),
            bic.location(),
            bic.branch().unwrap_or("")
        );
        assert_eq!(joined, code);
        for form in [code.to_owned(), code.to_ascii_lowercase()] {
            assert_eq!(Bic::parse(&form).ok().as_ref(), Some(&bic), "{form}");
        }
    }
});
