//! `[SIG-CURVE]` Baby Jubjub in circomlib's form: `a*x^2 + y^2 = 1 + d*x^2*y^2`
//! over BN254 `Fr` with a = 168700, d = 168696.
//!
//! ark-ed-on-bn254 ships the isomorphic a = 1 form and a generator that is
//! not circomlib's `B8`; this module defines the curve in circomlib's own
//! form over the same fields, with `B8` as generator, so that coordinates
//! need no mapping anywhere (JSON, signatures, circuits).

use ark_ec::{
    models::CurveConfig,
    twisted_edwards::{Affine, MontCurveConfig, Projective, TECurveConfig},
    AffineRepr,
};
use ark_ff::{MontFp, PrimeField};

use crate::field::Fr;

/// The prime-order subgroup's scalar field, of order `l`.
pub use ark_ed_on_bn254::Fr as Scalar;

/// Baby Jubjub in circomlib's coordinates (`[SIG-CURVE]`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct BabyJubjubConfig;

/// An affine point of Baby Jubjub in circomlib's form.
pub type Point = Affine<BabyJubjubConfig>;
/// A projective point of Baby Jubjub in circomlib's form.
pub type PointProjective = Projective<BabyJubjubConfig>;

/// `B8`'s x coordinate (`[SIG-CURVE]`).
pub const B8_X: Fr =
    MontFp!("5299619240641551281634865583518297030282874472190772894086521144482721001553");
/// `B8`'s y coordinate (`[SIG-CURVE]`).
pub const B8_Y: Fr =
    MontFp!("16950150798460657717958625567821834550301663161624707787222815936182638968203");
/// `B8`, generator of the order-`l` subgroup.
pub const B8: Point = Point::new_unchecked(B8_X, B8_Y);

impl CurveConfig for BabyJubjubConfig {
    type BaseField = Fr;
    type ScalarField = Scalar;
    const COFACTOR: &'static [u64] = &[8];
    /// 8^-1 mod l.
    const COFACTOR_INV: Scalar =
        MontFp!("2394026564107420727433200628387514462817212225638746351800188703329891451411");
}

impl TECurveConfig for BabyJubjubConfig {
    const COEFF_A: Fr = MontFp!("168700");
    const COEFF_D: Fr = MontFp!("168696");
    const GENERATOR: Point = B8;
    type MontCurveConfig = BabyJubjubConfig;
}

impl MontCurveConfig for BabyJubjubConfig {
    /// 2(a + d)/(a - d).
    const COEFF_A: Fr = MontFp!("168698");
    /// 4/(a - d).
    const COEFF_B: Fr = MontFp!("1");
    type TECurveConfig = BabyJubjubConfig;
}

/// Why a coordinate pair is not an acceptable point.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PointError {
    #[error("point is not on the curve")]
    NotOnCurve,
    #[error("point is not in the prime-order subgroup (order l)")]
    NotInSubgroup,
    #[error("point is the identity")]
    Identity,
}

/// The point at `(x, y)` if it is on the curve (any subgroup).
pub fn point_on_curve(x: Fr, y: Fr) -> Result<Point, PointError> {
    let p = Point::new_unchecked(x, y);
    if p.is_on_curve() {
        Ok(p)
    } else {
        Err(PointError::NotOnCurve)
    }
}

/// `[SIG-KEY]`: the point at `(x, y)` if it is on the curve, in the order-`l`
/// subgroup and not the identity. Small-order points fail the subgroup check.
pub fn public_key_point(x: Fr, y: Fr) -> Result<Point, PointError> {
    let p = point_on_curve(x, y)?;
    if p.is_zero() {
        return Err(PointError::Identity);
    }
    if !crate::eddsa::in_subgroup(&p) {
        return Err(PointError::NotInSubgroup);
    }
    Ok(p)
}

/// `l`, the order of `B8`, as an integer.
pub fn subgroup_order() -> <Scalar as PrimeField>::BigInt {
    Scalar::MODULUS
}
