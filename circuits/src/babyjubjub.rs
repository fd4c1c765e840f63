//! `[SIG-CURVE]` Baby Jubjub in R1CS, mirroring
//! [`zklc_primitives::babyjubjub`]: the point types (Edwards [`PointVar`],
//! Montgomery [`MontVar`] and its native twin [`MontPoint`]), the curve's
//! constants derived from primitives' [`BabyJubjubConfig`], and the gadgets
//! that more than one module uses (on-curve check, selection, the
//! Edwards <-> Montgomery maps, incomplete Montgomery addition).
//!
//! The curve is circomlib's form `a*x^2 + y^2 = 1 + d*x^2*y^2` (a = 168700,
//! d = 168696), not ark-ed-on-bn254's isomorphic a = 1 form, so coordinates
//! need no mapping between the native code and the circuit. Its Montgomery
//! form is `B*v^2 = u^3 + A*u^2 + u` with `A = 2(a + d)/(a - d) = 168698`
//! and `B = 4/(a - d) = 1`; the Montgomery gadgets are written for `B = 1`.
//! The maps are `u = (1 + y)/(1 - y)`, `v = u/x` and back `x = u/v`,
//! `y = (u - 1)/(u + 1)`; they are undefined at the identity `(0, 1)` and
//! the point of order 2 `(0, -1)`, which callers keep away (see
//! [`crate::montgomery`] and [`crate::fixed_base`]).

use ark_ec::twisted_edwards::{MontCurveConfig, TECurveConfig};
use ark_ff::{Field, PrimeField, Zero};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    groups::curves::twisted_edwards::AffineVar,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
pub use zklc_primitives::babyjubjub::BabyJubjubConfig;
use zklc_primitives::babyjubjub::{Point, Scalar, B8_X, B8_Y};
use zklc_primitives::Fr;

/// A Baby Jubjub point in R1CS, twisted-Edwards coordinates of circomlib's
/// form (`[SIG-CURVE]`).
pub type PointVar = AffineVar<BabyJubjubConfig, FpVar<Fr>>;

/// `[SIG-CURVE]` the Edwards coefficient `a` (168700), from primitives'
/// curve config.
pub const COEFF_A: Fr = <BabyJubjubConfig as TECurveConfig>::COEFF_A;
/// `[SIG-CURVE]` the Edwards coefficient `d` (168696), from primitives'
/// curve config.
pub const COEFF_D: Fr = <BabyJubjubConfig as TECurveConfig>::COEFF_D;
/// The Montgomery coefficient `A = 2(a + d)/(a - d)` (168698), from
/// primitives' curve config (a unit test checks it against [`COEFF_A`] and
/// [`COEFF_D`]).
pub const MONT_A: Fr = <BabyJubjubConfig as MontCurveConfig>::COEFF_A;
/// The Montgomery coefficient `B = 4/(a - d)`, which must be 1: the
/// Montgomery gadgets leave it out.
pub const MONT_B: Fr = <BabyJubjubConfig as MontCurveConfig>::COEFF_B;
/// Bits of a scalar below `l` (`[SIG-CURVE]`), the bit length of `l`
/// (251): any `S < l` (`[SIG-VERIFY]` 2) fits.
pub const SCALAR_BITS: usize = Scalar::MODULUS_BIT_SIZE as usize;

/// A point in Montgomery coordinates (`B*v^2 = u^3 + A*u^2 + u`, `B = 1`).
#[derive(Clone)]
pub struct MontVar {
    pub u: FpVar<Fr>,
    pub v: FpVar<Fr>,
}

/// A point in Montgomery coordinates, natively: the twin of [`MontVar`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MontPoint {
    pub u: Fr,
    pub v: Fr,
}

impl MontPoint {
    /// `u = (1 + y)/(1 - y)`, `v = u/x`; `None` for the identity and the
    /// point of order 2, which have no Montgomery image.
    pub fn from_edwards(p: &Point) -> Option<Self> {
        let u = (Fr::ONE + p.y) * (Fr::ONE - p.y).inverse()?;
        let v = u * p.x.inverse()?;
        Some(MontPoint { u, v })
    }

    /// Whether `v^2 = u^3 + A*u^2 + u` (with `B = 1`).
    pub fn is_on_curve(&self) -> bool {
        let u2 = self.u.square();
        self.v.square() == u2 * self.u + MONT_A * u2 + self.u
    }
}

/// `a / b`, or 0 when `b = 0` (the constraint using it then fails).
pub(crate) fn div(a: Fr, b: Fr) -> Fr {
    b.inverse().map(|inv| a * inv).unwrap_or_else(Fr::zero)
}

/// A witness variable computed by `f`.
pub(crate) fn witness(
    cs: &ConstraintSystemRef<Fr>,
    f: impl FnOnce() -> Result<Fr, SynthesisError>,
) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), f)
}

/// `[SIG-VERIFY]` 1 / `[SIG-KEY]`: `a*x^2 + y^2 - 1 - d*x^2*y^2 == 0` when
/// `cond` (3 + 1 constraints).
pub fn enforce_on_curve_if(
    x: &FpVar<Fr>,
    y: &FpVar<Fr>,
    cond: &Boolean<Fr>,
) -> Result<(), SynthesisError> {
    let x2 = x.square()?;
    let y2 = y.square()?;
    let x2y2 = &x2 * &y2;
    let residual = x2 * COEFF_A + y2 - Fr::ONE - x2y2 * COEFF_D;
    residual.conditional_enforce_equal(&FpVar::zero(), cond)
}

/// The point `(x, y)` when `cond`, else the constant `B8` (2 constraints):
/// an unsigned slot computes on `B8` in place of its own values
/// (`[CIRCUIT-SLOTS]`).
pub fn point_or_b8(
    cond: &Boolean<Fr>,
    x: &FpVar<Fr>,
    y: &FpVar<Fr>,
) -> Result<PointVar, SynthesisError> {
    let sx = cond.select(x, &FpVar::constant(B8_X))?;
    let sy = cond.select(y, &FpVar::constant(B8_Y))?;
    Ok(PointVar::new(sx, sy))
}

/// Edwards to Montgomery: `u = (1 + y)/(1 - y)`, `v = u/x` (2 constraints).
/// `p` must not be the identity or the point of order 2.
pub fn from_edwards(cs: &ConstraintSystemRef<Fr>, p: &PointVar) -> Result<MontVar, SynthesisError> {
    let (x, y) = (p.x.clone(), p.y.clone());
    let u = witness(cs, || {
        let (_, yv) = (x.value()?, y.value()?);
        Ok(div(Fr::ONE + yv, Fr::ONE - yv))
    })?;
    let v = witness(cs, || Ok(div(u.value()?, x.value()?)))?;
    u.mul_equals(&(FpVar::one() - &y), &(FpVar::one() + &y))?;
    v.mul_equals(&x, &u)?;
    Ok(MontVar { u, v })
}

/// Montgomery to Edwards: `x = u/v`, `y = (u - 1)/(u + 1)` (2 constraints).
pub fn to_edwards(cs: &ConstraintSystemRef<Fr>, m: &MontVar) -> Result<PointVar, SynthesisError> {
    let x = witness(cs, || Ok(div(m.u.value()?, m.v.value()?)))?;
    let y = witness(cs, || {
        let u = m.u.value()?;
        Ok(div(u - Fr::ONE, u + Fr::ONE))
    })?;
    x.mul_equals(&m.v, &m.u)?;
    y.mul_equals(&(&m.u + Fr::ONE), &(&m.u - Fr::ONE))?;
    Ok(PointVar::new(x, y))
}

/// Incomplete Montgomery addition `p + q` (3 constraints): wrong, or
/// without a witness, when `u(p) = u(q)`; callers show that case
/// unreachable.
pub fn add_incomplete(
    cs: &ConstraintSystemRef<Fr>,
    p: &MontVar,
    q: &MontVar,
) -> Result<MontVar, SynthesisError> {
    let lambda = FpVar::new_witness(cs.clone(), || {
        let du = q.u.value()? - p.u.value()?;
        Ok((q.v.value()? - p.v.value()?) * du.inverse().unwrap_or_else(Fr::zero))
    })?;
    let u = FpVar::new_witness(cs.clone(), || {
        Ok(lambda.value()?.square() - MONT_A - p.u.value()? - q.u.value()?)
    })?;
    let v = FpVar::new_witness(cs.clone(), || {
        Ok(lambda.value()? * (p.u.value()? - u.value()?) - p.v.value()?)
    })?;
    lambda.mul_equals(&(&q.u - &p.u), &(&q.v - &p.v))?;
    lambda.mul_equals(&lambda, &(&u + MONT_A + &p.u + &q.u))?;
    lambda.mul_equals(&(&p.u - &u), &(&v + &p.v))?;
    Ok(MontVar { u, v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::CurveGroup;
    use ark_ff::{AdditiveGroup, BigInteger};
    use ark_relations::gr1cs::ConstraintSystem;
    use zklc_primitives::babyjubjub::{subgroup_order, B8};

    /// A Montgomery form's coefficients.
    #[derive(Debug, PartialEq)]
    struct MontCoefficients {
        a: Fr,
        b: Fr,
    }

    /// `A = 2(a + d)/(a - d)` and `B = 4/(a - d)` of an Edwards form.
    fn montgomery_coefficients(a: Fr, d: Fr) -> MontCoefficients {
        let inv = (a - d).inverse().expect("a != d");
        MontCoefficients {
            a: (a + d).double() * inv,
            b: Fr::from(4u64) * inv,
        }
    }

    #[test]
    fn constants_derived_from_the_curve_config_equal_sig_curve() {
        assert_eq!(COEFF_A, Fr::from(168_700u64));
        assert_eq!(COEFF_D, Fr::from(168_696u64));
        assert_eq!(
            montgomery_coefficients(COEFF_A, COEFF_D),
            MontCoefficients {
                a: MONT_A,
                b: MONT_B
            }
        );
        assert_eq!(MONT_A, Fr::from(168_698u64));
        assert_eq!(MONT_B, Fr::ONE);
        assert_eq!(
            subgroup_order().to_string(),
            "2736030358979909402780800718157159386076813972158567259200215660948447373041"
        );
        assert_eq!(SCALAR_BITS, 251);
        // l's top bit is bit 250: S < l needs all 251 bits, and no more.
        assert!(subgroup_order().get_bit(SCALAR_BITS - 1));
        assert_eq!(subgroup_order().num_bits() as usize, SCALAR_BITS);
    }

    #[test]
    fn the_a_equals_one_form_has_another_montgomery_b() {
        // ark-ed-on-bn254's form (a' = 1, d' = d/a) maps to the same A but
        // B = a: gadgets written for B = 1 would be wrong on it.
        let d1 = COEFF_D * COEFF_A.inverse().unwrap();
        let ark_form = montgomery_coefficients(Fr::ONE, d1);
        assert_eq!(ark_form.a, MONT_A);
        assert_ne!(ark_form.b, MONT_B);
        assert_eq!(ark_form.b, COEFF_A);
    }

    #[test]
    fn on_curve_gadget_accepts_b8_and_refuses_a_moved_point_unless_not_enforced() {
        let check = |x: Fr, y: Fr, cond: bool| {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let xv = FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
            let yv = FpVar::new_witness(cs.clone(), || Ok(y)).unwrap();
            let c = Boolean::new_witness(cs.clone(), || Ok(cond)).unwrap();
            enforce_on_curve_if(&xv, &yv, &c).unwrap();
            cs.is_satisfied().unwrap()
        };
        assert!(check(B8_X, B8_Y, true));
        assert!(check(Fr::zero(), Fr::ONE, true), "the identity");
        assert!(!check(B8_X, B8_Y + Fr::ONE, true));
        assert!(check(B8_X, B8_Y + Fr::ONE, false));
    }

    #[test]
    fn montgomery_maps_equal_native_and_round_trip() {
        let p = (B8 * Scalar::from(12345u64)).into_affine();
        let native = MontPoint::from_edwards(&p).unwrap();
        assert!(native.is_on_curve());
        let cs = ConstraintSystem::<Fr>::new_ref();
        let x = FpVar::new_witness(cs.clone(), || Ok(p.x)).unwrap();
        let y = FpVar::new_witness(cs.clone(), || Ok(p.y)).unwrap();
        let m = from_edwards(&cs, &PointVar::new(x, y)).unwrap();
        assert_eq!(
            MontPoint {
                u: m.u.value().unwrap(),
                v: m.v.value().unwrap()
            },
            native
        );
        let back = to_edwards(&cs, &m).unwrap();
        assert_eq!(
            (back.x.value().unwrap(), back.y.value().unwrap()),
            (p.x, p.y)
        );
        assert!(cs.is_satisfied().unwrap());
        // No image for the identity or the point of order 2.
        assert_eq!(MontPoint::from_edwards(&Point::zero()), None);
        let order2 = Point::new_unchecked(Fr::zero(), -Fr::ONE);
        assert_eq!(MontPoint::from_edwards(&order2), None);
        let off = MontPoint {
            u: native.u,
            v: native.v + Fr::ONE,
        };
        assert!(!off.is_on_curve());
    }

    #[test]
    fn incomplete_addition_equals_native_and_refuses_a_wrong_sum() {
        let p = (B8 * Scalar::from(3u64)).into_affine();
        let q = (B8 * Scalar::from(5u64)).into_affine();
        let sum = (p + q).into_affine();
        let mont = |cs: &ConstraintSystemRef<Fr>, p: &Point| {
            let m = MontPoint::from_edwards(p).unwrap();
            MontVar {
                u: FpVar::new_witness(cs.clone(), || Ok(m.u)).unwrap(),
                v: FpVar::new_witness(cs.clone(), || Ok(m.v)).unwrap(),
            }
        };
        let cs = ConstraintSystem::<Fr>::new_ref();
        let (pv, qv) = (mont(&cs, &p), mont(&cs, &q));
        let before = cs.num_constraints();
        let r = add_incomplete(&cs, &pv, &qv).unwrap();
        assert_eq!(cs.num_constraints() - before, 3);
        let want = MontPoint::from_edwards(&sum).unwrap();
        assert_eq!(
            (r.u.value().unwrap(), r.v.value().unwrap()),
            (want.u, want.v)
        );
        assert!(cs.is_satisfied().unwrap());
        // The exceptional cases callers keep away: p + (-p) has no witness,
        // p + p leaves the slope free and the result is not 2p.
        let cs = ConstraintSystem::<Fr>::new_ref();
        let (pv, minus) = (mont(&cs, &p), mont(&cs, &-p));
        add_incomplete(&cs, &pv, &minus).unwrap();
        assert!(!cs.is_satisfied().unwrap());
        let cs = ConstraintSystem::<Fr>::new_ref();
        let (pv, pv2) = (mont(&cs, &p), mont(&cs, &p));
        let r = add_incomplete(&cs, &pv, &pv2).unwrap();
        assert!(cs.is_satisfied().unwrap());
        let double = MontPoint::from_edwards(&(p + p).into_affine()).unwrap();
        assert_ne!(r.u.value().unwrap(), double.u);
    }
}
