//! The streaming XML loop: quick-xml events → element paths → [`StatementBuilder`] calls.
//!
//! Only the path of open elements, the text of the current leaf and the entry being built
//! are held; a statement file of any size is read in memory bounded by its largest entry.

use std::io::BufRead;

use quick_xml::events::{BytesRef, BytesStart, Event};

use super::fields::StatementBuilder;
use super::{MessageKind, SUPPORTED_VERSIONS, StatementItem};
use crate::error::{Error, Result};

/// Deepest element nesting accepted; real camt files stay under 15.
const MAX_DEPTH: usize = 40;
/// Longest text of one element, in bytes (remittance lines are at most 140 characters).
const MAX_TEXT: usize = 64 * 1024;
/// The namespace prefix of every ISO 20022 cash-management message.
const NAMESPACE_PREFIX: &str = "urn:iso:std:iso:20022:tech:xsd:camt.";

/// Streams the entries and statements of one camt.053 or camt.054 file.
///
/// Iterate it: each item is an entry (as soon as it closed) or a statement summary (when
/// the statement closed and passed its control checks). The first error ends the
/// iteration; entries already yielded from a statement that then fails its checks must be
/// discarded ([`read_payments`](super::read_payments) does this for you).
pub struct StatementReader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    /// Local names of the open elements, outermost first.
    stack: Vec<String>,
    text: String,
    /// The `Ccy` attribute of the most recently opened element (leaves such as `Amt`).
    last_ccy: Option<String>,
    message: Option<(MessageKind, String)>,
    message_id: Option<String>,
    statement: Option<StatementBuilder>,
    statements: u32,
    done: bool,
}

impl<R: BufRead> std::fmt::Debug for StatementReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementReader")
            .field("message", &self.message)
            .field("statements", &self.statements)
            .field("done", &self.done)
            .finish()
    }
}

impl<'a> StatementReader<&'a [u8]> {
    /// A reader over a file already in memory.
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        StatementReader::new(bytes)
    }
}

impl<R: BufRead> StatementReader<R> {
    /// A reader over any buffered source (a file, a socket, a byte slice).
    pub fn new(source: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(source);
        xml.config_mut().check_end_names = true;
        StatementReader {
            xml,
            buf: Vec::with_capacity(1024),
            stack: Vec::new(),
            text: String::new(),
            last_ccy: None,
            message: None,
            message_id: None,
            statement: None,
            statements: 0,
            done: false,
        }
    }

    /// Which message the file holds and its version (`"02"`, `"08"`), once the root element
    /// has been read.
    pub fn message(&self) -> Option<(MessageKind, &str)> {
        self.message.as_ref().map(|(k, v)| (*k, v.as_str()))
    }

    /// Reads events until an item is complete, the file ends, or something is wrong.
    fn advance(&mut self) -> Result<Option<StatementItem>> {
        loop {
            self.buf.clear();
            let event = self
                .xml
                .read_event_into(&mut self.buf)
                .map_err(|e| xml_error(&e, self.xml.buffer_position()))?;
            let item = match event {
                Event::Start(start) => {
                    let (name, ccy) = element(&start)?;
                    let xmlns = namespace(&start)?;
                    self.open(name, ccy, xmlns)?;
                    None
                }
                Event::Empty(start) => {
                    let (name, ccy) = element(&start)?;
                    let xmlns = namespace(&start)?;
                    self.open(name, ccy, xmlns)?;
                    self.close()?
                }
                Event::End(_) => self.close()?,
                Event::Text(text) => {
                    let decoded = text.decode().map_err(|e| bad(format!("bad text: {e}")))?;
                    push_text(&mut self.text, &decoded)?;
                    None
                }
                Event::CData(data) => {
                    let decoded = data.decode().map_err(|e| bad(format!("bad CDATA: {e}")))?;
                    push_text(&mut self.text, &decoded)?;
                    None
                }
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference)?;
                    push_text(&mut self.text, &resolved)?;
                    None
                }
                Event::DocType(_) => {
                    return Err(bad("a DOCTYPE is not allowed in a statement file"));
                }
                Event::Eof => return self.finish().map(|()| None),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => None,
            };
            if item.is_some() {
                return Ok(item);
            }
        }
    }

    /// An element opened: check the root, track the path, tell the statement builder.
    fn open(&mut self, name: String, ccy: Option<String>, xmlns: Option<String>) -> Result<()> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(bad(format!("elements nested deeper than {MAX_DEPTH}")));
        }
        if self.stack.is_empty() {
            self.message = Some(root_message(&name, xmlns.as_deref())?);
        }
        self.stack.push(name);
        self.text.clear();
        self.last_ccy = ccy;
        if self.stack.len() == 3 && self.is_statement_element(&self.stack[2]) {
            let (kind, version) = self.message.clone().ok_or_else(|| bad("no root element"))?;
            self.statement = Some(StatementBuilder::new(
                kind,
                version,
                self.message_id.clone(),
            ));
        } else if self.stack.len() > 3
            && let Some(statement) = self.statement.as_mut()
        {
            statement.open(&self.stack[3..])?;
        }
        Ok(())
    }

    /// The innermost element closed: hand its text to the builder, then pop it.
    fn close(&mut self) -> Result<Option<StatementItem>> {
        let text = std::mem::take(&mut self.text);
        let text = text.trim();
        let ccy = self.last_ccy.take();
        let depth = self.stack.len();
        let mut item = None;
        if depth == 4 && self.stack[1].starts_with("BkToCstmr") && self.stack[2] == "GrpHdr" {
            if self.stack[3] == "MsgId" {
                self.message_id = Some(text.to_owned());
            }
        } else if depth == 3 && self.statement.is_some() {
            let statement = self.statement.take().ok_or_else(|| bad("no statement"))?;
            self.statements += 1;
            item = Some(StatementItem::End(Box::new(statement.finish()?)));
        } else if depth > 3
            && let Some(statement) = self.statement.as_mut()
        {
            item = statement
                .close(&self.stack[3..], text, ccy)?
                .map(|entry| StatementItem::Entry(Box::new(entry)));
        }
        self.stack.pop();
        Ok(item)
    }

    fn is_statement_element(&self, name: &str) -> bool {
        matches!(
            (self.message.as_ref().map(|m| m.0), name),
            (Some(MessageKind::Camt053), "Stmt") | (Some(MessageKind::Camt054), "Ntfctn")
        ) && self.stack[1].starts_with("BkToCstmr")
    }

    /// End of input: everything must be closed and at least one statement read.
    fn finish(&mut self) -> Result<()> {
        if let Some(open) = self.stack.last() {
            return Err(bad(format!("the file ends inside <{open}> (truncated?)")));
        }
        if self.message.is_none() {
            return Err(bad("the file holds no XML document"));
        }
        if self.statements == 0 {
            return Err(bad(
                "the file holds no statement (Stmt) or notification (Ntfctn)",
            ));
        }
        Ok(())
    }
}

impl<R: BufRead> Iterator for StatementReader<R> {
    type Item = Result<StatementItem>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.advance() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Appends to the current element's text, refusing runaway text.
fn push_text(buffer: &mut String, text: &str) -> Result<()> {
    if buffer.len() + text.len() > MAX_TEXT {
        return Err(bad(format!(
            "an element's text is longer than {MAX_TEXT} bytes"
        )));
    }
    buffer.push_str(text);
    Ok(())
}

/// A decode error about the statement file.
pub(super) fn bad(message: impl std::fmt::Display) -> Error {
    Error::decode(format!("bank statement: {message}"))
}

fn xml_error(error: &quick_xml::Error, position: u64) -> Error {
    bad(format!("malformed XML near byte {position}: {error}"))
}

/// An element's local name (namespace prefix dropped) and its `Ccy` attribute.
fn element(start: &BytesStart<'_>) -> Result<(String, Option<String>)> {
    let name = std::str::from_utf8(start.local_name().as_ref())
        .map_err(|_| bad("an element name is not UTF-8"))?
        .to_owned();
    let ccy = attribute(start, b"Ccy")?;
    Ok((name, ccy))
}

/// The default namespace declared on an element, if any.
fn namespace(start: &BytesStart<'_>) -> Result<Option<String>> {
    attribute(start, b"xmlns")
}

fn attribute(start: &BytesStart<'_>, key: &[u8]) -> Result<Option<String>> {
    let found = start
        .try_get_attribute(key)
        .map_err(|e| bad(format!("bad attribute: {e}")))?;
    found
        .map(|a| {
            a.unescape_value()
                .map(|v| v.trim().to_owned())
                .map_err(|e| bad(format!("bad attribute value: {e}")))
        })
        .transpose()
}

/// `&amp;`, `&#228;` and the other predefined references; anything DTD-defined is refused.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<String> {
    if let Some(c) = reference
        .resolve_char_ref()
        .map_err(|e| bad(format!("bad character reference: {e}")))?
    {
        return Ok(c.to_string());
    }
    let name = reference
        .decode()
        .map_err(|e| bad(format!("bad entity reference: {e}")))?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| bad(format!("unknown entity &{name};")))
}

/// Reads the message kind and version from the root element `Document` and its namespace,
/// e.g. `urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`.
fn root_message(name: &str, xmlns: Option<&str>) -> Result<(MessageKind, String)> {
    if name != "Document" {
        return Err(bad(format!(
            "the root element is <{name}>, not an ISO 20022 <Document>"
        )));
    }
    let ns = xmlns.ok_or_else(|| bad("<Document> declares no ISO 20022 namespace"))?;
    let rest = ns
        .strip_prefix(NAMESPACE_PREFIX)
        .ok_or_else(|| bad(format!("namespace {ns:?} is not an ISO 20022 camt message")))?;
    let (kind, version) = match rest.split_once(".001.") {
        Some(("053", v)) => (MessageKind::Camt053, v),
        Some(("054", v)) => (MessageKind::Camt054, v),
        _ => {
            return Err(bad(format!(
                "namespace {ns:?} is neither camt.053 nor camt.054"
            )));
        }
    };
    if !SUPPORTED_VERSIONS.contains(&version) {
        return Err(bad(format!(
            "{ns:?}: version .001.{version} is not supported (supported: {})",
            SUPPORTED_VERSIONS.map(|v| format!(".001.{v}")).join(", ")
        )));
    }
    Ok((kind, version.to_owned()))
}
