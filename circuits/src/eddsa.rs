//! `[SIG-VERIFY]` in R1CS, conditioned on a slot's signed bit
//! (`[CIRCUIT-SLOTS]`): for a signed slot, `A` and `R8` on the curve,
//! `S < l`, `8*A` not the identity, and `S*B8 == R8 + h*(8*A)` with
//! `h = poseidon(R8x, R8y, Ax, Ay, m)` decomposed to bits strictly below r.
//!
//! Curve arithmetic uses ark-r1cs-std's twisted-Edwards `AffineVar` over the
//! circomlib-form curve ([`crate::babyjubjub::PointVar`]), whose addition
//! formulas are complete on Baby Jubjub (`a` is a square and `d` is not), except for
//! `h*(8A)` and `S*B8`, which add in Montgomery form with incomplete
//! formulas whose exceptional cases are shown unreachable in
//! [`crate::montgomery`] and [`crate::fixed_base`]. An
//! unsigned slot runs the same arithmetic on `B8` in place of its key and
//! `R8` (selected by the signed bit), so its witness values, whatever they
//! are, never make the arithmetic fail.

use std::sync::OnceLock;

use ark_ff::{BigInteger, Field, Zero};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    groups::CurveVar,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::babyjubjub::subgroup_order;
use zklc_primitives::{Fr, Signature};

use crate::babyjubjub::{enforce_on_curve_if, point_or_b8, SCALAR_BITS};
use crate::bits::{enforce_le_constant, to_bits_strict};
use crate::fixed_base::mul_b8;
use crate::meter::{mark, Meter};
use crate::montgomery::scalar_mul;
use crate::poseidon::poseidon_var;
use crate::scope;

/// A signature's witness: `R8`'s coordinates and the bits of `S`.
#[derive(Clone)]
pub struct SignatureVar {
    pub r8x: FpVar<Fr>,
    pub r8y: FpVar<Fr>,
    /// `S` in [`SCALAR_BITS`] little-endian bits: this is `S` in the circuit.
    pub s_bits: Vec<Boolean<Fr>>,
}

impl SignatureVar {
    /// Allocates a signature as witnesses (`None` in setup).
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        sig: Option<&Signature>,
    ) -> Result<Self, SynthesisError> {
        let missing = || SynthesisError::AssignmentMissing;
        let r8x = FpVar::new_witness(cs.clone(), || sig.map(|s| s.r8x).ok_or_else(missing))?;
        let r8y = FpVar::new_witness(cs.clone(), || sig.map(|s| s.r8y).ok_or_else(missing))?;
        let s_bits = (0..SCALAR_BITS)
            .map(|i| {
                Boolean::new_witness(cs.clone(), || {
                    sig.map(|s| s.s.get_bit(i)).ok_or_else(missing)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SignatureVar { r8x, r8y, s_bits })
    }
}

/// The bits of `l - 1` ([`SCALAR_BITS`] of them), little-endian.
fn l_minus_one_le() -> &'static [bool] {
    static BITS: OnceLock<Vec<bool>> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut l = subgroup_order();
        l.sub_with_borrow(&1u64.into());
        (0..SCALAR_BITS).map(|i| l.get_bit(i)).collect()
    })
}

/// `[SIG-VERIFY]` for key `(ax, ay)` on message `m`, enforced when `signed`.
pub fn enforce_signature_if(
    cs: ConstraintSystemRef<Fr>,
    signed: &Boolean<Fr>,
    ax: &FpVar<Fr>,
    ay: &FpVar<Fr>,
    sig: &SignatureVar,
    m: &FpVar<Fr>,
    meter: &mut Option<&mut Meter>,
) -> Result<(), SynthesisError> {
    scope!("slot.eddsa.on_curve", {
        enforce_on_curve_if(ax, ay, signed)?;
        enforce_on_curve_if(&sig.r8x, &sig.r8y, signed)
    })?;
    mark(meter, &cs, "slot.eddsa.on_curve (A, R8)");
    scope!("slot.eddsa.s_range", {
        // S <= l - 1 (always: an unsigned slot's S is 0).
        enforce_le_constant(&cs, &sig.s_bits, l_minus_one_le())
    })?;
    mark(meter, &cs, "slot.eddsa.s_range (S < l comparison)");
    let a = point_or_b8(signed, ax, ay)?;
    let r8 = point_or_b8(signed, &sig.r8x, &sig.r8y)?;
    mark(meter, &cs, "slot.eddsa.select (unsigned slots use B8)");
    // h = poseidon(R8x, R8y, Ax, Ay, m), as bits strictly below r.
    let h_bits = scope!("slot.eddsa.h_bits", {
        let h = poseidon_var(
            cs.clone(),
            &[
                r8.x.clone(),
                r8.y.clone(),
                a.x.clone(),
                a.y.clone(),
                m.clone(),
            ],
        )?;
        mark(meter, &cs, "slot.eddsa.h (Poseidon of 5)");
        to_bits_strict(&cs, &h)
    })?;
    mark(meter, &cs, "slot.eddsa.h_bits (strictly below r)");
    let eight_a = scope!("slot.eddsa.eight_a", a.double()?.double()?.double())?;
    scope!("slot.eddsa.not_identity", {
        // 8A is in the order-l subgroup, so it is the identity iff x = 0:
        // x * inv == signed has a solution only if x != 0 or not signed.
        let inv = FpVar::new_witness(cs.clone(), || {
            let x = eight_a.x.value()?;
            let s = signed.value()?;
            let inv = if s { x.inverse() } else { None };
            Ok(inv.unwrap_or_else(Fr::zero))
        })?;
        eight_a.x.mul_equals(&inv, &FpVar::from(signed.clone()))
    })?;
    mark(meter, &cs, "slot.eddsa.eight_a, not identity");
    scope!("slot.eddsa.equation", {
        // 3-bit windows of constants (see `fixed_base`).
        let lhs = mul_b8(&cs, &sig.s_bits)?;
        mark(meter, &cs, "slot.eddsa.S*B8 (fixed base)");
        // Montgomery-form signed-digit ladder (see `montgomery`): 8A is in
        // the order-l subgroup and not the identity (checked above).
        let rhs = scalar_mul(&cs, &eight_a, &h_bits)?;
        mark(meter, &cs, "slot.eddsa.h*(8A) (variable base)");
        let rhs = r8 + rhs;
        lhs.x.conditional_enforce_equal(&rhs.x, signed)?;
        lhs.y.conditional_enforce_equal(&rhs.y, signed)?;
        mark(meter, &cs, "slot.eddsa.add R8, conditional equality");
        Ok(())
    })
}
