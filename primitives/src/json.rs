//! The JSON formats of SPEC section 9, strict.
//!
//! Typed deserializers only (serde derive refuses unknown, missing and
//! repeated fields); decimal strings match `^(0|[1-9][0-9]*)$` and are in
//! range; field elements are canonical (< r); hashes are `0x` + 64 lowercase
//! hex digits; small integers are JSON integers within u32 (no fraction,
//! exponent or sign, `-0` included). Point, set and commit rules are not
//! format rules: they are checked later under their own SPEC tags.
//! Errors name the field by its path (`light_blocks[3].commit[1].s`).

use alloc::{
    format,
    string::{String, ToString},
    vec::Vec,
};
use core::fmt;
use serde::{
    de::{self, DeserializeOwned, Visitor},
    Deserialize, Deserializer, Serialize, Serializer,
};
use serde_json::value::RawValue;

use crate::chain::{ChainChecker, ChainFile, CheckedChain, LightBlock, SyncPath};
use crate::commit::{Commit, CommitSig};
use crate::eddsa::Signature;
use crate::error::{ChainError, Error};
use crate::field::{
    fr_to_decimal, parse_decimal_fr, parse_decimal_u256, parse_decimal_u64, parse_hex, to_hex, Fr,
    U256,
};
use crate::header::{Header, HeaderHash};
use crate::validator::{PublicKey, Validator, ValidatorSet};

/// The most bytes a chain file reader takes unless told more.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

macro_rules! string_newtype {
    ($name:ident, $inner:ty, $expecting:literal, $parse:expr, $show:expr) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, s: &str) -> Result<$name, E> {
                        let parse: fn(&str) -> Result<$inner, String> = $parse;
                        parse(s)
                            .map($name)
                            .map_err(|e| E::custom(format!("{s:?}: {e}")))
                    }
                }
                d.deserialize_str(V)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let show: fn(&$inner) -> String = $show;
                s.serialize_str(&show(&self.0))
            }
        }
    };
}

string_newtype!(
    DecU64,
    u64,
    "a decimal string of a u64",
    |s| parse_decimal_u64(s).map_err(|e| e.to_string()),
    |v| v.to_string()
);
string_newtype!(
    DecFr,
    Fr,
    "a decimal string of a field element (< r)",
    |s| parse_decimal_fr(s).map_err(|e| e.to_string()),
    fr_to_decimal
);
string_newtype!(
    DecU256,
    U256,
    "a decimal string of an integer below 2^256",
    |s| parse_decimal_u256(s).map_err(|e| e.to_string()),
    |v| v.to_string()
);
string_newtype!(
    Hex32,
    [u8; 32],
    "0x and 64 lowercase hex digits",
    |s| parse_hex::<32>(s).map_err(|e| e.to_string()),
    |v| to_hex(v)
);

/// A JSON integer within u32: no fraction, no exponent, no sign (not `-0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonU32(pub u32);

impl<'de> Deserialize<'de> for JsonU32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonU32;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON integer from 0 to 4294967295")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonU32, E> {
                u32::try_from(v)
                    .map(JsonU32)
                    .map_err(|_| E::custom(format!("{v} is out of range for u32")))
            }
            // serde_json reports every negative integer, `-0` included, here.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonU32, E> {
                Err(E::custom(format!(
                    "{v}: a signed integer where an unsigned one is expected"
                )))
            }
        }
        d.deserialize_u64(V)
    }
}

impl Serialize for JsonU32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

/// `[FMT-HEADER]`
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a header object")]
struct HeaderJson {
    version: JsonU32,
    chain_id: DecU64,
    height: DecU64,
    timestamp: DecU64,
    parent_hash: Hex32,
    state_root: Hex32,
    validators_hash: DecFr,
    next_validators_hash: DecFr,
}

impl From<&Header> for HeaderJson {
    fn from(h: &Header) -> Self {
        HeaderJson {
            version: JsonU32(h.version),
            chain_id: DecU64(h.chain_id),
            height: DecU64(h.height),
            timestamp: DecU64(h.timestamp),
            parent_hash: Hex32(h.parent_hash),
            state_root: Hex32(h.state_root),
            validators_hash: DecFr(h.validators_hash),
            next_validators_hash: DecFr(h.next_validators_hash),
        }
    }
}

impl From<HeaderJson> for Header {
    fn from(h: HeaderJson) -> Self {
        Header {
            version: h.version.0,
            chain_id: h.chain_id.0,
            height: h.height.0,
            timestamp: h.timestamp.0,
            parent_hash: h.parent_hash.0,
            state_root: h.state_root.0,
            validators_hash: h.validators_hash.0,
            next_validators_hash: h.next_validators_hash.0,
        }
    }
}

/// `[FMT-VALIDATOR]`
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a validator object")]
struct ValidatorJson {
    pub_key: [DecFr; 2],
    stake: DecU64,
}

/// `[FMT-SIGNATURE]`
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a signature object")]
struct SignatureJson {
    index: JsonU32,
    r8: [DecFr; 2],
    s: DecU256,
}

/// `[FMT-LIGHT-BLOCK]`
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a light block object")]
struct LightBlockJson {
    header: HeaderJson,
    validators: Vec<ValidatorJson>,
    commit: Vec<SignatureJson>,
}

macro_rules! serde_via {
    ($ty:ty, $json:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$json>::from(self).serialize(s)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$json>::deserialize(d).map(Into::into)
            }
        }
    };
}

impl From<&Validator> for ValidatorJson {
    fn from(v: &Validator) -> Self {
        ValidatorJson {
            pub_key: [DecFr(v.pub_key.x), DecFr(v.pub_key.y)],
            stake: DecU64(v.stake),
        }
    }
}
impl From<ValidatorJson> for Validator {
    fn from(v: ValidatorJson) -> Self {
        Validator {
            pub_key: PublicKey {
                x: v.pub_key[0].0,
                y: v.pub_key[1].0,
            },
            stake: v.stake.0,
        }
    }
}

impl From<&CommitSig> for SignatureJson {
    fn from(c: &CommitSig) -> Self {
        SignatureJson {
            index: JsonU32(c.index),
            r8: [DecFr(c.signature.r8x), DecFr(c.signature.r8y)],
            s: DecU256(c.signature.s),
        }
    }
}
impl From<SignatureJson> for CommitSig {
    fn from(c: SignatureJson) -> Self {
        CommitSig {
            index: c.index.0,
            signature: Signature {
                r8x: c.r8[0].0,
                r8y: c.r8[1].0,
                s: c.s.0,
            },
        }
    }
}

impl From<&LightBlock> for LightBlockJson {
    fn from(b: &LightBlock) -> Self {
        LightBlockJson {
            header: (&b.header).into(),
            validators: b.validators.validators.iter().map(Into::into).collect(),
            commit: b.commit.signatures.iter().map(Into::into).collect(),
        }
    }
}
impl From<LightBlockJson> for LightBlock {
    fn from(b: LightBlockJson) -> Self {
        LightBlock {
            header: b.header.into(),
            validators: ValidatorSet::new(b.validators.into_iter().map(Into::into).collect()),
            commit: Commit {
                signatures: b.commit.into_iter().map(Into::into).collect(),
            },
        }
    }
}

serde_via!(Header, HeaderJson);
serde_via!(Validator, ValidatorJson);
serde_via!(CommitSig, SignatureJson);
serde_via!(LightBlock, LightBlockJson);

/// `[FMT-LIGHT-BLOCK]` a chain file, with its blocks kept raw so that each is
/// parsed (and its format error reported) in order with the rule checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a chain file object")]
struct ChainFileRaw<'a> {
    chain_id: DecU64,
    capacity: JsonU32,
    #[serde(borrow)]
    light_blocks: Vec<&'a RawValue>,
}

#[derive(Serialize)]
struct ChainFileOut<'a> {
    chain_id: DecU64,
    capacity: JsonU32,
    light_blocks: &'a [LightBlock],
}

impl Serialize for ChainFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ChainFileOut {
            chain_id: DecU64(self.chain_id),
            capacity: JsonU32(self.capacity),
            light_blocks: &self.light_blocks,
        }
        .serialize(s)
    }
}

/// A document of SPEC section 9 and its format tag.
pub trait JsonFormat: DeserializeOwned {
    const TAG: &'static str;
}

impl JsonFormat for Header {
    const TAG: &'static str = "[FMT-HEADER]";
}
impl JsonFormat for Validator {
    const TAG: &'static str = "[FMT-VALIDATOR]";
}
impl JsonFormat for CommitSig {
    const TAG: &'static str = "[FMT-SIGNATURE]";
}
impl JsonFormat for LightBlock {
    const TAG: &'static str = "[FMT-LIGHT-BLOCK]";
}

/// The format tag for a field path: the innermost object of section 9, or
/// the document's own tag.
fn format_tag(path: &str, root: &'static str) -> &'static str {
    if path.contains("commit[") {
        "[FMT-SIGNATURE]"
    } else if path.contains("validators[") {
        "[FMT-VALIDATOR]"
    } else if path.contains("header") {
        "[FMT-HEADER]"
    } else {
        root
    }
}

/// serde_json's message without its " at line L column C" (positions inside
/// a raw block would mislead).
fn message_of(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Deserializes `bytes` as `T`, naming the failing field's path (prefixed).
fn parse_named<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    prefix: &str,
    root: &'static str,
) -> Result<T, Error> {
    let name = |inner: &str| match (prefix.is_empty(), inner) {
        (true, ".") => "(top level)".to_string(),
        (true, _) => inner.to_string(),
        (false, ".") => prefix.to_string(),
        (false, _) => format!("{prefix}.{inner}"),
    };
    let fail = |field: String, e: &serde_json::Error| {
        let position = if e.line() > 0 && prefix.is_empty() {
            format!(" (line {}, column {})", e.line(), e.column())
        } else {
            String::new()
        };
        let mut message = message_of(e);
        let mut field = field;
        // A check across fields names its field as `@field: message`.
        if let Some((named, rest)) = message
            .strip_prefix('@')
            .and_then(|m| m.split_once(": "))
            .map(|(f, r)| (f.to_string(), r.to_string()))
        {
            field = name(&named);
            message = rest;
        }
        Error::Format {
            tag: format_tag(&field, root),
            message: format!("{message}{position}"),
            field,
        }
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| fail(name(&e.path().to_string()), e.inner()))?;
    de.end().map_err(|e| fail(name("."), &e))?;
    Ok(value)
}

/// Parses one JSON document of a section-9 format (`Header`, `LightBlock`,
/// ...), naming the failing field under the format's tag.
pub fn from_json<T: JsonFormat>(bytes: &[u8]) -> Result<T, Error> {
    parse_named(bytes, "", T::TAG)
}

/// The height of a block that failed to parse, if its header has a readable one.
fn probe_height(raw: &RawValue) -> Option<u64> {
    #[derive(Deserialize)]
    struct Probe {
        header: ProbeHeader,
    }
    #[derive(Deserialize)]
    struct ProbeHeader {
        height: String,
    }
    let p: Probe = serde_json::from_str(raw.get()).ok()?;
    parse_decimal_u64(&p.header.height).ok()
}

fn parse_block(index: usize, raw: &RawValue) -> Result<LightBlock, ChainError> {
    parse_named::<LightBlock>(
        raw.get().as_bytes(),
        &format!("light_blocks[{index}]"),
        LightBlock::TAG,
    )
    .map_err(|e| ChainError::at(index, probe_height(raw), e))
}

/// Parses a chain file (JSON format only, no rule checked); the error names
/// the first malformed block. Check it with [`ChainFile::check`].
pub fn parse_chain_file(bytes: &[u8]) -> Result<ChainFile, ChainError> {
    let raw: ChainFileRaw =
        parse_named(bytes, "", "[FMT-LIGHT-BLOCK]").map_err(ChainError::file)?;
    let light_blocks = raw
        .light_blocks
        .iter()
        .enumerate()
        .map(|(i, b)| parse_block(i, b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ChainFile {
        chain_id: raw.chain_id.0,
        capacity: raw.capacity.0,
        light_blocks,
    })
}

/// `[SYNC-PATH]` checks a chain file from its bytes, block by block: each
/// block is parsed, then checked, before the next is read, so the error names
/// the first failing block and its first failing check in SPEC order (JSON
/// format first).
pub fn check_chain_json(bytes: &[u8]) -> Result<(ChainFile, CheckedChain), ChainError> {
    let raw: ChainFileRaw =
        parse_named(bytes, "", "[FMT-LIGHT-BLOCK]").map_err(ChainError::file)?;
    let mut checker = ChainChecker::new(raw.chain_id.0, raw.capacity.0)?;
    let mut light_blocks = Vec::with_capacity(raw.light_blocks.len());
    for (i, b) in raw.light_blocks.iter().enumerate() {
        let block = parse_block(i, b)?;
        checker.push(&block)?;
        light_blocks.push(block);
    }
    let checked = checker.finish()?;
    Ok((
        ChainFile {
            chain_id: raw.chain_id.0,
            capacity: raw.capacity.0,
            light_blocks,
        },
        checked,
    ))
}

/// `[FMT-SYNC-PATH]`
#[derive(Serialize)]
struct SyncPathJson {
    chain_id: DecU64,
    tip_height: DecU64,
    tip_hash: Hex32,
    steps: Vec<SyncStepJson>,
}

#[derive(Serialize)]
struct SyncStepJson {
    trusted_height: DecU64,
    trusted_signing_set: DecFr,
    target: SyncTargetJson,
    public_inputs: [DecFr; 3],
}

#[derive(Serialize)]
struct SyncTargetJson {
    height: DecU64,
    timestamp: DecU64,
    header_hash: Hex32,
    next_validators_hash: DecFr,
}

impl Serialize for SyncPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SyncPathJson {
            chain_id: DecU64(self.chain_id),
            tip_height: DecU64(self.tip_height),
            tip_hash: Hex32(self.tip_hash.0),
            steps: self
                .steps
                .iter()
                .map(|st| SyncStepJson {
                    trusted_height: DecU64(st.trusted.height),
                    trusted_signing_set: DecFr(st.trusted.signing_set),
                    target: SyncTargetJson {
                        height: DecU64(st.target.height),
                        timestamp: DecU64(st.target.timestamp),
                        header_hash: Hex32(st.target_hash.0),
                        next_validators_hash: DecFr(st.target.next_validators_hash),
                    },
                    public_inputs: st.public_inputs.to_array().map(DecFr),
                })
                .collect(),
        }
        .serialize(s)
    }
}

impl Serialize for HeaderHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Hex32(self.0).serialize(s)
    }
}

impl<'de> Deserialize<'de> for HeaderHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Hex32::deserialize(d).map(|h| HeaderHash(h.0))
    }
}

/// A pretty-printed JSON document with a trailing newline.
pub fn to_json_pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("zklc types serialize infallibly");
    s.push('\n');
    s
}

string_newtype!(
    Hex128,
    [u8; 128],
    "0x and 256 lowercase hex digits",
    |s| parse_hex::<128>(s).map_err(|e| e.to_string()),
    |v| to_hex(v)
);

pub use crate::proof_file::{ProofFile, RunInfo, PROOF_FILE_VERSION};
use crate::public_inputs::RunStart;

/// `[FMT-PROOF]` `first`: X_1's height and timestamp.
#[derive(Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a run start object (height, timestamp)"
)]
struct RunStartJson {
    height: DecU64,
    timestamp: DecU64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a proof file object")]
struct ProofFileJson {
    version: JsonU32,
    capacity: JsonU32,
    depth: JsonU32,
    vk_fingerprint: Hex32,
    chain_id: DecU64,
    trusted_signing_set: DecFr,
    header: HeaderJson,
    proof: Hex128,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first: Option<RunStartJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_length: Option<JsonU32>,
}

impl From<&ProofFile> for ProofFileJson {
    fn from(p: &ProofFile) -> Self {
        ProofFileJson {
            version: JsonU32(p.version),
            capacity: JsonU32(p.capacity),
            depth: JsonU32(p.depth),
            vk_fingerprint: Hex32(p.vk_fingerprint),
            chain_id: DecU64(p.chain_id),
            trusted_signing_set: DecFr(p.trusted_signing_set),
            header: (&p.header).into(),
            proof: Hex128(p.proof),
            first: p.run.map(|r| RunStartJson {
                height: DecU64(r.first.height),
                timestamp: DecU64(r.first.timestamp),
            }),
            run_length: p.run.map(|r| JsonU32(r.run_length)),
        }
    }
}

impl TryFrom<ProofFileJson> for ProofFile {
    type Error = String;

    /// `[FMT-PROOF]` `first` and `run_length` are present if and only if
    /// `depth >= 2`, and `1 <= run_length <= depth`. An error starts with
    /// `@field:` so that it names the field ([`parse_named`]).
    fn try_from(p: ProofFileJson) -> Result<Self, String> {
        let depth = p.depth.0;
        let run = match (p.first, p.run_length) {
            (None, None) if depth < 2 => None,
            (Some(first), Some(run_length)) if depth >= 2 => {
                if run_length.0 == 0 || run_length.0 > depth {
                    return Err(format!(
                        "@run_length: {} is outside 1..={depth} (the proof's depth)",
                        run_length.0
                    ));
                }
                Some(RunInfo {
                    first: RunStart {
                        height: first.height.0,
                        timestamp: first.timestamp.0,
                    },
                    run_length: run_length.0,
                })
            }
            (first, _) => {
                let field = if (first.is_some()) != (depth >= 2) {
                    "first"
                } else {
                    "run_length"
                };
                let verb = if depth >= 2 {
                    "is required"
                } else {
                    "is not allowed"
                };
                return Err(format!(
                    "@{field}: {verb} in a proof of depth {depth} (present if and only if depth >= 2)"
                ));
            }
        };
        Ok(ProofFile {
            version: p.version.0,
            capacity: p.capacity.0,
            depth,
            vk_fingerprint: p.vk_fingerprint.0,
            chain_id: p.chain_id.0,
            trusted_signing_set: p.trusted_signing_set.0,
            header: p.header.into(),
            proof: p.proof.0,
            run,
        })
    }
}

impl Serialize for ProofFile {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ProofFileJson::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for ProofFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ProofFileJson::deserialize(d)
            .and_then(|p| ProofFile::try_from(p).map_err(serde::de::Error::custom))
    }
}

impl JsonFormat for ProofFile {
    const TAG: &'static str = "[FMT-PROOF]";
}
