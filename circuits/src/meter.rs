//! Constraint counts per part of the circuit, measured on the real
//! synthesis (the circuit marks each part as it goes).

use std::collections::BTreeMap;

use ark_relations::gr1cs::ConstraintSystemRef;
use zklc_primitives::Fr;

/// Accumulates constraints per named part.
#[derive(Clone, Debug, Default)]
pub struct Meter {
    last: usize,
    /// Constraints per part, summed over every occurrence (every slot).
    pub parts: BTreeMap<&'static str, usize>,
    pub total: usize,
}

impl Meter {
    /// Charges the constraints added since the last mark to `part`.
    pub fn mark(&mut self, cs: &ConstraintSystemRef<Fr>, part: &'static str) {
        let now = cs.num_constraints();
        *self.parts.entry(part).or_default() += now - self.last;
        self.last = now;
        self.total = now;
    }
}

/// Marks `part` on an optional meter.
pub fn mark(meter: &mut Option<&mut Meter>, cs: &ConstraintSystemRef<Fr>, part: &'static str) {
    if let Some(m) = meter.as_deref_mut() {
        m.mark(cs, part);
    }
}
