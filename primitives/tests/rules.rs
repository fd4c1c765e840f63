//! The update rule and its parts, each check with an accepting and a
//! rejecting twin: `[VSET-MEMBER]`, `[SIG-KEY]`, `[VSET-HASH]`, `[GENESIS]`,
//! `[UPD-RULE]`, `[COMMIT]`, `[SIG-VERIFY]`, `[QUORUM]`, `[HDR-ANCESTRY]`,
//! `[TRUST-PERIOD]`, `[SYNC-PATH]`, `[PROOF-INPUTS]`, `[HDR-ENC]`.

use ark_ff::{BigInt, BigInteger, PrimeField};
use zklc_primitives::babyjubjub::{subgroup_order, PointError};
use zklc_primitives::devnet::{generate, DevnetConfig, StakeDistribution};
use zklc_primitives::field::Fr;
use zklc_primitives::header::{Header, HeaderDecodeError};
use zklc_primitives::test_helpers::{self, devnet, full_commit_config};
use zklc_primitives::update::{
    verify_header_for_proof, verify_not_from_future, verify_within_trust_period,
};
use zklc_primitives::{
    apply_update, has_quorum, ChainFile, Commit, CommitSig, Error, PublicInputs, PublicKey,
    TrustOptions, TrustedState, Validator, ValidatorSet,
};

const SEED: u64 = 11;

fn config(stakes: StakeDistribution) -> DevnetConfig {
    DevnetConfig {
        chain_id: 9,
        stakes,
        ..full_commit_config(4, 4, 3, 3, SEED)
    }
}

fn chain() -> ChainFile {
    devnet(&config(StakeDistribution::Equal))
}

/// Signs block `i`'s header again with the given signer indices.
fn resign(chain: &mut ChainFile, i: usize, signers: &[u32]) {
    test_helpers::resign(chain, i, SEED, signers);
}

/// Signs block `i`'s header again with its whole set.
fn resign_all(chain: &mut ChainFile, i: usize) {
    test_helpers::resign_all(chain, i, SEED);
}

/// The error of the first failing block: (block index, error).
fn refusal(chain: &ChainFile) -> (usize, Error) {
    let e = chain.check().expect_err("chain accepted");
    (e.block_index.expect("a block"), *e.error)
}

#[test]
fn accepts_devnet_chain_with_rotations() {
    let c = chain();
    let path = c.sync_path().unwrap();
    assert_eq!(path.steps.len(), 3);
    assert!(path.steps[0].target.is_rotation() && path.steps[1].target.is_rotation());
    assert_eq!(
        path.tip_height,
        c.light_blocks.last().unwrap().header.height
    );
}

#[test]
fn rejects_header_version_2_even_when_signed() {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    c.light_blocks[last].header.version = 2;
    resign_all(&mut c, last);
    assert_eq!(
        refusal(&c),
        (
            last,
            Error::UnsupportedVersion {
                expected: 1,
                got: 2
            }
        )
    );
}

#[test]
fn rejects_chain_id_mismatch_even_when_signed() {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    c.light_blocks[last].header.chain_id = 10;
    resign_all(&mut c, last);
    assert_eq!(
        refusal(&c),
        (
            last,
            Error::ChainIdMismatch {
                expected: 9,
                got: 10
            }
        )
    );
}

#[test]
fn rejects_non_increasing_height_and_timestamp() {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    let prev = c.light_blocks[last - 1].header;
    c.light_blocks[last].header.height = prev.height;
    resign_all(&mut c, last);
    assert_eq!(
        refusal(&c),
        (
            last,
            Error::NonIncreasingHeight {
                trusted: prev.height,
                got: prev.height
            }
        )
    );
    let mut c = chain();
    c.light_blocks[last].header.timestamp = prev.timestamp;
    resign_all(&mut c, last);
    assert_eq!(
        refusal(&c),
        (
            last,
            Error::NonIncreasingTimestamp {
                trusted: prev.timestamp,
                got: prev.timestamp
            }
        )
    );
}

#[test]
fn rejects_tampered_next_validators_hash() {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    c.light_blocks[last].header.next_validators_hash = Fr::from(1u64);
    let (i, e) = refusal(&c);
    assert_eq!((i, e.tag()), (last, "[SIG-VERIFY]"), "{e}");
}

#[test]
fn rejects_header_claiming_another_set_however_well_signed() {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    // The genesis set signs a later header and claims itself.
    let genesis_set = c.light_blocks[0].validators.clone();
    let trusted = c.light_blocks[last - 1].header.next_validators_hash;
    let block = &mut c.light_blocks[last];
    block.validators = genesis_set;
    block.header.validators_hash = block.validators.hash(4).unwrap();
    let claimed = block.header.validators_hash;
    assert_ne!(claimed, trusted);
    resign_all(&mut c, last);
    assert_eq!(
        refusal(&c),
        (
            last,
            Error::ValidatorSetMismatch {
                expected: trusted,
                got: claimed
            }
        )
    );
}

#[test]
fn rejects_exactly_two_thirds_and_accepts_one_unit_more() {
    // Three equal stakes: two signers hold exactly two thirds.
    let mut cfg = config(StakeDistribution::Equal);
    cfg.validators = 3;
    let mut c = generate(&cfg).unwrap();
    resign(&mut c, 1, &[0, 2]);
    assert_eq!(
        refusal(&c),
        (
            1,
            Error::QuorumNotReached {
                signed: 2000,
                total: 3000
            }
        )
    );
    resign(&mut c, 1, &[0, 1, 2]);
    assert!(c.check().is_ok());
}

#[test]
fn rejects_one_signature_short_of_quorum() {
    let mut c = chain();
    resign(&mut c, 2, &[1, 3]);
    assert_eq!(
        refusal(&c),
        (
            2,
            Error::QuorumNotReached {
                signed: 2000,
                total: 4000
            }
        )
    );
    resign(&mut c, 2, &[1, 2, 3]);
    assert!(c.check().is_ok());
}

#[test]
fn quorum_is_strict_at_the_u64_edge() {
    let total = u64::MAX; // divisible by 3
    let two_thirds = total / 3 * 2;
    assert!(!has_quorum(two_thirds, total));
    assert!(has_quorum(two_thirds + 1, total));
    assert!(!has_quorum(2, 3));
    assert!(has_quorum(3, 4));
    assert!(!has_quorum(0, 1));
    assert!(has_quorum(1, 1));
}

#[test]
fn rejects_duplicate_out_of_order_and_out_of_range_entries() {
    let mut c = chain();
    let sigs = c.light_blocks[2].commit.signatures.clone();
    c.light_blocks[2].commit.signatures = vec![sigs[0], sigs[1], sigs[1], sigs[2]];
    assert_eq!(
        refusal(&c),
        (
            2,
            Error::CommitIndexNotIncreasing {
                entry: 2,
                previous: 1,
                got: 1
            }
        )
    );
    c.light_blocks[2].commit.signatures = vec![sigs[1], sigs[0], sigs[2], sigs[3]];
    assert_eq!(
        refusal(&c),
        (
            2,
            Error::CommitIndexNotIncreasing {
                entry: 1,
                previous: 1,
                got: 0
            }
        )
    );
    let mut beyond = sigs[3];
    beyond.index = 4;
    c.light_blocks[2].commit.signatures = vec![sigs[0], sigs[1], sigs[2], beyond];
    assert_eq!(
        refusal(&c),
        (
            2,
            Error::CommitIndexOutOfRange {
                entry: 3,
                index: 4,
                validators: 4
            }
        )
    );
}

#[test]
fn one_invalid_entry_invalidates_a_commit_whose_others_reach_quorum() {
    let mut c = chain();
    // Entries 0..2 alone reach quorum (3000 of 4000); entry 3 is S + l.
    let l = subgroup_order();
    let sig = &mut c.light_blocks[2].commit.signatures[3].signature;
    sig.s.add_with_carry(&l);
    let (i, e) = refusal(&c);
    assert_eq!((i, e.tag()), (2, "[SIG-VERIFY]"));
    assert!(
        matches!(
            e,
            Error::InvalidSignature {
                entry: 3,
                index: 3,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn rejects_r8_off_the_curve() {
    let mut c = chain();
    c.light_blocks[1].commit.signatures[0].signature.r8y += Fr::from(1u64);
    let (i, e) = refusal(&c);
    assert!(
        i == 1 && matches!(e, Error::InvalidSignature { entry: 0, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("not on the curve"), "{e}");
}

/// Makes the last block's set contain `key` with a stake that completes the
/// quorum through the circomlibjs-accepted forgery `(R8, S) = (r*B8, r)`.
fn forge_with_key(key: PublicKey) -> ChainFile {
    let mut c = chain();
    let last = c.light_blocks.len() - 1;
    let block = &mut c.light_blocks[last];
    block.validators.validators[3] = Validator {
        pub_key: key,
        stake: 5000,
    };
    block.header.validators_hash = block.validators.hash(4).unwrap();
    // Make the set trusted: the block before rotates to it.
    let vh = block.header.validators_hash;
    c.light_blocks[last - 1].header.next_validators_hash = vh;
    resign_all(&mut c, last - 1);
    let prev_hash = c.light_blocks[last - 1].header.hash().0;
    c.light_blocks[last].header.parent_hash = prev_hash;
    resign(&mut c, last, &[0]);
    let r = BigInt::<4>::from(12345u64);
    let r8 = zklc_primitives::eddsa::mul_b8(&r);
    let r8 = ark_ec::CurveGroup::into_affine(r8);
    c.light_blocks[last].commit.signatures.push(CommitSig {
        index: 3,
        signature: zklc_primitives::Signature {
            r8x: r8.x,
            r8y: r8.y,
            s: r,
        },
    });
    c
}

#[test]
fn rejects_identity_and_small_order_keys_whose_forgery_completes_the_quorum() {
    let minus_one = -Fr::from(1u64);
    for (key, reason) in [
        (
            PublicKey {
                x: Fr::from(0u64),
                y: Fr::from(1u64),
            },
            PointError::Identity,
        ),
        (
            PublicKey {
                x: Fr::from(0u64),
                y: minus_one,
            },
            PointError::NotInSubgroup,
        ),
    ] {
        let c = forge_with_key(key);
        let last = c.light_blocks.len() - 1;
        // The forgery satisfies the verification equation (what circomlibjs checks).
        let block = &c.light_blocks[last];
        let sig = block.commit.signatures[1].signature;
        let p = zklc_primitives::babyjubjub::point_on_curve(key.x, key.y).unwrap();
        let h =
            zklc_primitives::poseidon(&[sig.r8x, sig.r8y, key.x, key.y, block.header.message()])
                .unwrap();
        let lhs = zklc_primitives::eddsa::mul_b8(&sig.s);
        let rhs = zklc_primitives::babyjubjub::point_on_curve(sig.r8x, sig.r8y).unwrap()
            + ark_ec::AffineRepr::mul_bigint(
                &ark_ec::AffineRepr::mul_by_cofactor(&p),
                h.into_bigint(),
            );
        assert_eq!(lhs, rhs, "the forgery passes the bare equation");
        let (i, e) = refusal(&c);
        assert_eq!(i, last);
        assert_eq!(
            e,
            Error::InvalidPublicKey {
                index: 3,
                x: key.x,
                y: key.y,
                reason
            }
        );
    }
}

#[test]
fn vset_member_rules_with_twins() {
    let set = chain().light_blocks[0].validators.clone();
    assert!(set.check(4).is_ok());
    assert_eq!(
        set.check(2),
        Err(Error::ValidatorCount {
            count: 4,
            capacity: 2
        })
    );
    assert_eq!(set.check(6), Err(Error::InvalidCapacity { capacity: 6 }));
    assert_eq!(
        set.check(2048),
        Err(Error::InvalidCapacity { capacity: 2048 })
    );
    assert_eq!(
        ValidatorSet::default().check(4),
        Err(Error::ValidatorCount {
            count: 0,
            capacity: 4
        })
    );
    let mut dup = set.clone();
    dup.validators[2].pub_key = dup.validators[0].pub_key;
    assert_eq!(
        dup.check(4),
        Err(Error::DuplicateKey {
            first: 0,
            second: 2
        })
    );
    let mut zero = set.clone();
    zero.validators[1].stake = 0;
    assert_eq!(zero.check(4), Err(Error::ZeroStake { index: 1 }));
    let mut big = set.clone();
    big.validators[0].stake = u64::MAX - 3000;
    assert_eq!(
        big.check(4).unwrap().total,
        u64::MAX,
        "a total of 2^64 - 1 is fine"
    );
    big.validators[0].stake += 1;
    assert_eq!(
        big.check(4),
        Err(Error::TotalStakeOverflow { total: 1u128 << 64 })
    );
    let mut off = set.clone();
    off.validators[1].pub_key.x += Fr::from(1u64);
    assert!(matches!(
        off.check(4),
        Err(Error::InvalidPublicKey {
            index: 1,
            reason: PointError::NotOnCurve,
            ..
        })
    ));
}

#[test]
fn rejects_validator_list_that_does_not_hash_to_validators_hash() {
    let mut c = chain();
    c.light_blocks[1].validators.validators[0].stake += 1;
    let (i, e) = refusal(&c);
    assert_eq!((i, e.tag()), (1, "[VSET-HASH]"), "{e}");
    let mut c = chain();
    c.light_blocks[0].validators.validators[0].stake += 1;
    assert_eq!(refusal(&c).1.tag(), "[VSET-HASH]");
    // Mid-epoch, after a block with the same (valid) list: checked again.
    let mut c = chain();
    assert_eq!(c.light_blocks[1].validators, c.light_blocks[2].validators);
    c.light_blocks[2].validators.validators[3].stake += 1;
    assert_eq!(refusal(&c).0, 2);
    assert_eq!(refusal(&c).1.tag(), "[VSET-HASH]");
    let mut c = chain();
    c.light_blocks[2].validators.validators[3].pub_key =
        c.light_blocks[2].validators.validators[0].pub_key;
    assert_eq!(
        refusal(&c),
        (
            2,
            Error::DuplicateKey {
                first: 0,
                second: 3
            }
        )
    );
}

#[test]
fn genesis_rules_with_twins() {
    let mut c = chain();
    c.light_blocks[0].commit = Commit::default();
    assert!(c.check().is_ok(), "a genesis commit is not checked");
    c.light_blocks[0].commit.signatures.push(CommitSig {
        index: 77,
        signature: zklc_primitives::Signature {
            r8x: Fr::from(0u64),
            r8y: Fr::from(0u64),
            s: BigInt::from(0u64),
        },
    });
    assert!(c.check().is_ok(), "a genesis commit is not checked");
    let mut c = chain();
    c.light_blocks[0].header.version = 2;
    assert_eq!(
        refusal(&c),
        (
            0,
            Error::GenesisVersion {
                expected: 1,
                got: 2
            }
        )
    );
    let mut c = chain();
    c.chain_id = 8;
    assert_eq!(
        refusal(&c),
        (
            0,
            Error::GenesisChainId {
                expected: 8,
                got: 9
            }
        )
    );
    let mut c = chain();
    c.light_blocks.clear();
    assert_eq!(*c.check().unwrap_err().error, Error::EmptyChain);
}

#[test]
fn ancestry_links_consecutive_heights_only() {
    let mut c = chain();
    c.light_blocks[2].header.parent_hash = [7; 32];
    resign_all(&mut c, 2);
    let (i, e) = refusal(&c);
    assert_eq!((i, e.tag()), (2, "[HDR-ANCESTRY]"), "{e}");
    // A gap of heights needs no link: without block 1, heights go 1 -> 3 and
    // block 3's parent (height 2) is not in the file.
    let mut c = chain();
    c.light_blocks.remove(1);
    assert_ne!(
        c.light_blocks[1].header.parent_hash,
        c.light_blocks[0].header.hash().0
    );
    assert!(c.check().is_ok());
}

fn state(timestamp: u64) -> TrustedState {
    TrustedState {
        chain_id: 9,
        height: 10,
        timestamp,
        header_hash: Default::default(),
        signing_set: Fr::from(5u64),
    }
}

#[test]
fn trust_period_boundaries_without_overflow() {
    let o = TrustOptions::default();
    let t = state(1_000);
    assert!(verify_within_trust_period(&t, 1_000 + o.trusting_period_ms - 1, &o).is_ok());
    assert_eq!(
        verify_within_trust_period(&t, 1_000 + o.trusting_period_ms, &o),
        Err(Error::TrustPeriodExpired {
            trusted_timestamp: 1_000,
            trusting_period: o.trusting_period_ms,
            now: 1_000 + o.trusting_period_ms
        })
    );
    assert!(verify_within_trust_period(&state(u64::MAX), u64::MAX, &o).is_ok());
    let mut h = chain().light_blocks[0].header;
    h.timestamp = 20_000;
    assert!(verify_not_from_future(&h, 10_000, &o).is_ok());
    assert_eq!(
        verify_not_from_future(&h, 9_999, &o),
        Err(Error::HeaderFromFuture {
            timestamp: 20_000,
            now: 9_999,
            drift: 10_000
        })
    );
    h.timestamp = u64::MAX;
    assert!(verify_not_from_future(&h, u64::MAX, &o).is_ok());
}

#[test]
fn proof_header_checks_run_in_proof_verify_order() {
    let o = TrustOptions::default();
    let t = state(1_000);
    let mut h = Header {
        version: 1,
        chain_id: 9,
        height: 11,
        timestamp: 2_000,
        parent_hash: [0; 32],
        state_root: [0; 32],
        validators_hash: Fr::from(5u64),
        next_validators_hash: Fr::from(6u64),
    };
    assert!(verify_header_for_proof(&t, &h, 2_000, &o).is_ok());
    h.validators_hash = Fr::from(4u64);
    assert_eq!(
        verify_header_for_proof(&t, &h, 2_000, &o)
            .unwrap_err()
            .tag(),
        "[UPD-RULE]"
    );
    // The trusting period is checked before the validators hash.
    let expired = verify_header_for_proof(&t, &h, 1_000 + o.trusting_period_ms, &o).unwrap_err();
    assert!(matches!(expired, Error::TrustPeriodExpired { .. }));
    // The timestamp before the trusting period.
    h.timestamp = 1_000;
    let e = verify_header_for_proof(&t, &h, 1_000 + o.trusting_period_ms, &o).unwrap_err();
    assert!(matches!(e, Error::NonIncreasingTimestamp { .. }));
    h.version = 3;
    assert!(matches!(
        verify_header_for_proof(&t, &h, 0, &o),
        Err(Error::UnsupportedVersion { .. })
    ));
}

#[test]
fn apply_update_moves_the_state_to_the_header() {
    let c = chain();
    let mut t = TrustedState::after(&c.light_blocks[0].header);
    let h = c.light_blocks[2].header;
    apply_update(&mut t, &h);
    assert_eq!(
        t,
        TrustedState {
            chain_id: 9,
            height: h.height,
            timestamp: h.timestamp,
            header_hash: h.hash(),
            signing_set: h.next_validators_hash,
        }
    );
}

#[test]
fn sync_path_from_a_later_trusted_block() {
    let c = chain();
    let checked = c.check().unwrap();
    let full = checked.sync_path();
    let from = TrustedState::after(&c.light_blocks[full.steps[0].block_index].header);
    let later = checked.sync_path_from(&from).unwrap();
    assert_eq!(later.steps, full.steps[1..]);
    let mut unknown = from;
    unknown.header_hash.0[0] ^= 1;
    assert!(matches!(
        checked.sync_path_from(&unknown),
        Err(Error::TrustedHeaderNotInChain { .. })
    ));
    let tip = TrustedState::after(&c.light_blocks.last().unwrap().header);
    assert!(checked.sync_path_from(&tip).unwrap().steps.is_empty());
}

#[test]
fn public_inputs_are_signing_set_then_hash_hi_then_hash_lo() {
    let c = chain();
    let path = c.sync_path().unwrap();
    for step in &path.steps {
        let [v, hi, lo] = step.public_inputs.to_array();
        assert_eq!(v, step.trusted.signing_set);
        let mut bytes = hi.into_bigint().to_bytes_be()[16..].to_vec();
        bytes.extend_from_slice(&lo.into_bigint().to_bytes_be()[16..]);
        assert_eq!(bytes, step.target_hash.0);
        assert_eq!(
            step.public_inputs,
            PublicInputs::new(&step.trusted, &step.target.hash())
        );
    }
}

#[test]
fn header_decoding_refuses_wrong_length_and_noncanonical_hashes() {
    let h = chain().light_blocks[1].header;
    let bytes = h.encode();
    assert_eq!(Header::decode(&bytes), Ok(h));
    assert_eq!(
        Header::decode(&bytes[..155]),
        Err(HeaderDecodeError::Length { got: 155 })
    );
    let mut bad = bytes;
    bad[92..124].fill(0xff);
    assert_eq!(
        Header::decode(&bad),
        Err(HeaderDecodeError::NotCanonical {
            field: "validators_hash"
        })
    );
    let mut bad = bytes;
    bad[124..156].fill(0xff);
    assert_eq!(
        Header::decode(&bad),
        Err(HeaderDecodeError::NotCanonical {
            field: "next_validators_hash"
        })
    );
}

#[test]
fn devnet_is_deterministic_and_refuses_bad_configs() {
    let a = generate(&config(StakeDistribution::Random)).unwrap();
    let b = generate(&config(StakeDistribution::Random)).unwrap();
    assert_eq!(a, b);
    assert!(a.check().is_ok());
    let mut cfg = config(StakeDistribution::Equal);
    cfg.validators = 5;
    assert!(generate(&cfg).is_err());
    cfg.validators = 4;
    cfg.capacity = 3;
    assert!(generate(&cfg).is_err());
    cfg.capacity = 4;
    cfg.epochs = 0;
    assert!(generate(&cfg).is_err());
    cfg.epochs = 1;
    cfg.start_time_ms = u64::MAX - 5;
    assert!(generate(&cfg).is_err());
}
