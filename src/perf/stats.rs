//! Summary statistics of a sample and the regression verdict of two samples.
//!
//! Samples are values where larger is worse: durations in seconds, bytes, latencies.
//!
//! **Input policy.** Only finite, non-negative values are used: `NaN`, `±inf` and negative
//! values are *filtered out* (silently dropped, never an error). The counts that remain are
//! reported ([`Summary::n`], [`Verdict::baseline_n`], [`Verdict::current_n`]), so a caller can
//! tell that values were dropped; too few remaining values give
//! [`VerdictKind::InsufficientData`].
//!
//! **Verdict.** [`compare`] calls a regression only when both hold:
//! - the ratio of medians `current / baseline` exceeds `1 + noise_threshold`, and the whole
//!   percentile-bootstrap 95% confidence interval of that ratio lies above `1 + noise_threshold`;
//! - a two-sided Mann-Whitney U test (normal approximation, tie and continuity corrections)
//!   gives `p < alpha`.
//!
//! An improvement is the mirror image: ratio and whole CI below `1 - noise_threshold`
//! (criterion's convention: a 5% threshold means ±5%), and `p < alpha`. Everything else with
//! enough data is [`VerdictKind::NoChange`].
//!
//! **Small samples.** With fewer than [`MIN_SAMPLES`] (5) usable values on either side the
//! verdict is always [`VerdictKind::InsufficientData`]: no p-value or CI is computed, only the
//! ratio of medians (when both sides have a value). From 5 values per side the normal
//! approximation of U is used; it is close to the exact distribution from about 8 per side,
//! and at 5..8 it is slightly conservative or liberal near `alpha`, which the bootstrap CI
//! and the noise threshold requirement guard against.

use std::fmt;

use serde::Serialize;

/// Fewest usable values per side for which [`compare`] gives a verdict.
pub const MIN_SAMPLES: usize = 5;

/// Scale that makes the median absolute deviation a consistent estimator of the standard
/// deviation for normally distributed data (`1 / Φ⁻¹(3/4)`, as R's `mad()`).
pub const MAD_SCALE: f64 = 1.4826;

/// Summary statistics of one sample (after the input policy of this module).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Number of usable (finite, non-negative) values.
    pub n: usize,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// The 50th percentile (see [`percentile`]).
    pub median: f64,
    /// The 95th percentile (see [`percentile`]).
    pub p95: f64,
    /// Median absolute deviation from the median, scaled by [`MAD_SCALE`].
    pub mad: f64,
}

impl Summary {
    /// Summarises `samples`; `None` when no usable value remains after filtering.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        let sorted = usable_sorted(samples);
        let median = percentile(&sorted, 0.5)?;
        Some(Summary {
            n: sorted.len(),
            min: *sorted.first()?,
            max: *sorted.last()?,
            median,
            p95: percentile(&sorted, 0.95)?,
            mad: mad(&sorted)?,
        })
    }
}

/// The usable values of `samples` (finite and `>= 0`), sorted ascending.
pub fn usable_sorted(samples: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = samples
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// The `q`-quantile (`0 <= q <= 1`, clamped) of an ascending slice, by linear interpolation
/// between closest ranks (Hyndman & Fan type 7, the default of numpy and R): with
/// `h = (n - 1) q`, the result is `x[⌊h⌋] + (h - ⌊h⌋) (x[⌈h⌉] - x[⌊h⌋])` (0-based).
/// `None` for an empty slice.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * q.clamp(0.0, 1.0);
    let below = h.floor();
    let lo = *sorted.get(below as usize)?;
    let hi = *sorted.get((h.ceil() as usize).min(last))?;
    if lo == hi {
        return Some(lo);
    }
    Some(lo + (h - below) * (hi - lo))
}

/// Median absolute deviation of an ascending slice, scaled by [`MAD_SCALE`]; `None` if empty.
pub fn mad(sorted: &[f64]) -> Option<f64> {
    let median = percentile(sorted, 0.5)?;
    let deviations = usable_sorted(
        &sorted
            .iter()
            .map(|x| (x - median).abs())
            .collect::<Vec<_>>(),
    );
    Some(percentile(&deviations, 0.5)? * MAD_SCALE)
}

/// Settings of [`compare`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareOptions {
    /// Smallest relative change of the median that can count (default 0.05, i.e. ±5%).
    pub noise_threshold: f64,
    /// Significance level of the two-sided Mann-Whitney U test (default 0.05).
    pub alpha: f64,
    /// Bootstrap resamples for the confidence interval (default 2000; 0 gives no CI and thus
    /// never a regression or improvement).
    pub resamples: usize,
    /// Seed of the bootstrap generator: equal inputs and options give equal verdicts.
    pub seed: u64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            noise_threshold: 0.05,
            alpha: 0.05,
            resamples: 2000,
            seed: 0x6a7e_c4ec,
        }
    }
}

/// What [`compare`] concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Current is slower (larger), beyond the noise threshold and significantly.
    Regression,
    /// Current is faster (smaller), beyond the noise threshold and significantly.
    Improvement,
    /// No change beyond the noise threshold that is also significant.
    NoChange,
    /// Fewer than [`MIN_SAMPLES`] usable values on a side: no conclusion is drawn.
    InsufficientData,
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VerdictKind::Regression => "regression",
            VerdictKind::Improvement => "improvement",
            VerdictKind::NoChange => "no change",
            VerdictKind::InsufficientData => "insufficient data",
        })
    }
}

/// The comparison of a current sample with a baseline sample.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The conclusion.
    pub kind: VerdictKind,
    /// Usable values in the baseline.
    pub baseline_n: usize,
    /// Usable values in the current sample.
    pub current_n: usize,
    /// Median of the baseline (`None` when it has no usable value).
    pub baseline_median: Option<f64>,
    /// Median of the current sample (`None` when it has no usable value).
    pub current_median: Option<f64>,
    /// `current median / baseline median` (0/0 is 1, x/0 is +inf); `None` if a side is empty.
    pub ratio: Option<f64>,
    /// Lower end of the bootstrap 95% CI of the ratio (`None` for insufficient data).
    pub ci_low: Option<f64>,
    /// Upper end of the bootstrap 95% CI of the ratio (`None` for insufficient data).
    pub ci_high: Option<f64>,
    /// Two-sided Mann-Whitney U p-value (`None` for insufficient data).
    pub p_value: Option<f64>,
}

/// Compares `current` with `baseline` (larger is worse); see the module docs for the rules.
pub fn compare(baseline: &[f64], current: &[f64], options: &CompareOptions) -> Verdict {
    let base = usable_sorted(baseline);
    let cur = usable_sorted(current);
    let baseline_median = percentile(&base, 0.5);
    let current_median = percentile(&cur, 0.5);
    let mut verdict = Verdict {
        kind: VerdictKind::InsufficientData,
        baseline_n: base.len(),
        current_n: cur.len(),
        baseline_median,
        current_median,
        ratio: baseline_median
            .zip(current_median)
            .map(|(b, c)| ratio_of(b, c)),
        ci_low: None,
        ci_high: None,
        p_value: None,
    };
    if base.len() < MIN_SAMPLES || cur.len() < MIN_SAMPLES {
        return verdict;
    }
    let ci = bootstrap_ratio_ci(&base, &cur, options);
    verdict.ci_low = ci.map(|(low, _)| low);
    verdict.ci_high = ci.map(|(_, high)| high);
    verdict.p_value = Some(mann_whitney_p(&base, &cur));
    verdict.kind = decide(&verdict, options);
    verdict
}

/// Applies the two-condition rule to a verdict whose statistics are filled in.
fn decide(verdict: &Verdict, options: &CompareOptions) -> VerdictKind {
    let (Some(ratio), Some(low), Some(high), Some(p)) = (
        verdict.ratio,
        verdict.ci_low,
        verdict.ci_high,
        verdict.p_value,
    ) else {
        return VerdictKind::NoChange;
    };
    let upper = 1.0 + options.noise_threshold;
    let lower = 1.0 - options.noise_threshold;
    let significant = p < options.alpha;
    if significant && ratio > upper && low > upper {
        VerdictKind::Regression
    } else if significant && ratio < lower && high < lower {
        VerdictKind::Improvement
    } else {
        VerdictKind::NoChange
    }
}

/// `current / baseline` for medians of non-negative values: 0/0 is 1, x/0 is +inf.
fn ratio_of(baseline: f64, current: f64) -> f64 {
    if baseline > 0.0 {
        current / baseline
    } else if current == baseline {
        1.0
    } else {
        f64::INFINITY
    }
}

/// Percentile-bootstrap 95% CI of the ratio of medians: both samples are resampled with
/// replacement, independently, `options.resamples` times from a generator seeded with
/// `options.seed`; the CI is the 2.5th and 97.5th percentile of the resampled ratios.
fn bootstrap_ratio_ci(base: &[f64], cur: &[f64], options: &CompareOptions) -> Option<(f64, f64)> {
    let mut rng = fastrand::Rng::with_seed(options.seed);
    let mut scratch = Vec::with_capacity(base.len().max(cur.len()));
    let mut ratios = Vec::with_capacity(options.resamples);
    for _ in 0..options.resamples {
        let b = resampled_median(base, &mut rng, &mut scratch)?;
        let c = resampled_median(cur, &mut rng, &mut scratch)?;
        ratios.push(ratio_of(b, c));
    }
    ratios.sort_by(f64::total_cmp);
    Some((percentile(&ratios, 0.025)?, percentile(&ratios, 0.975)?))
}

/// Median of one resample with replacement of `sample`, built in `scratch`.
fn resampled_median(
    sample: &[f64],
    rng: &mut fastrand::Rng,
    scratch: &mut Vec<f64>,
) -> Option<f64> {
    scratch.clear();
    for _ in 0..sample.len() {
        scratch.push(*sample.get(rng.usize(..sample.len()))?);
    }
    scratch.sort_by(f64::total_cmp);
    percentile(scratch, 0.5)
}

/// Two-sided p-value of the Mann-Whitney U test of two ascending samples, by the normal
/// approximation with tie correction of the variance and a continuity correction of 0.5.
/// Two samples that are all one value (zero variance) give 1.
fn mann_whitney_p(base: &[f64], cur: &[f64]) -> f64 {
    let (n1, n2) = (cur.len() as f64, base.len() as f64);
    let total = n1 + n2;
    let (cur_rank_sum, tie_term) = rank_sums(base, cur);
    let u = cur_rank_sum - n1 * (n1 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let variance = n1 * n2 / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
    if variance <= 0.0 || !variance.is_finite() {
        return 1.0;
    }
    let z = ((u - mean).abs() - 0.5).max(0.0) / variance.sqrt();
    erfc(z / std::f64::consts::SQRT_2).min(1.0)
}

/// Merges two ascending samples, giving tied values their average rank (1-based). Returns the
/// rank sum of `cur` and the tie term `Σ (t³ - t)` over groups of `t` tied values.
fn rank_sums(base: &[f64], cur: &[f64]) -> (f64, f64) {
    let mut merged: Vec<(f64, bool)> = base.iter().map(|&x| (x, false)).collect();
    merged.extend(cur.iter().map(|&x| (x, true)));
    merged.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut tie_term, mut start) = (0.0, 0.0, 0);
    for group in merged.chunk_by(|a, b| a.0 == b.0) {
        let t = group.len() as f64;
        let average_rank = start as f64 + (t + 1.0) / 2.0;
        let in_cur = group.iter().filter(|(_, is_cur)| *is_cur).count() as f64;
        rank_sum += in_cur * average_rank;
        tie_term += t * t * t - t;
        start += group.len();
    }
    (rank_sum, tie_term)
}

/// Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
/// (Numerical Recipes, `erfcc`).
fn erfc(x: f64) -> f64 {
    const C: [f64; 10] = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ];
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = C.iter().rev().fold(0.0, |acc, c| c + t * acc);
    let value = t * (-z * z + poly).exp();
    if x >= 0.0 { value } else { 2.0 - value }
}

impl Verdict {
    /// Renders the verdict with `unit` formatting a median, e.g. `"212 ms → 248 ms, +17%
    /// (95% CI +12%..+22%), regression"`. [`Display`](fmt::Display) uses [`format_seconds`].
    pub fn render(&self, unit: impl Fn(f64) -> String) -> String {
        let medians = match (self.baseline_median, self.current_median) {
            (Some(b), Some(c)) => format!("{} → {}", unit(b), unit(c)),
            _ => "no samples".to_owned(),
        };
        let change = self
            .ratio
            .map(|r| format!(", {}", percent(r)))
            .unwrap_or_default();
        if self.kind == VerdictKind::InsufficientData {
            let (b, c) = (self.baseline_n, self.current_n);
            return format!(
                "{medians}{change}, {} ({b} vs {c} usable samples, {MIN_SAMPLES} per side needed)",
                self.kind
            );
        }
        let ci = match (self.ci_low, self.ci_high) {
            (Some(low), Some(high)) => format!(" (95% CI {}..{})", percent(low), percent(high)),
            _ => String::new(),
        };
        format!("{medians}{change}{ci}, {}", self.kind)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(format_seconds))
    }
}

/// A ratio as a signed whole percentage change: 1.17 → `"+17%"`, 0.9 → `"-10%"`.
fn percent(ratio: f64) -> String {
    // Adding 0.0 turns a rounded -0 into +0.
    format!("{:+.0}%", ((ratio - 1.0) * 100.0).round() + 0.0)
}

/// A duration in seconds for people: `"1.25 s"` from 1 s, `"212 ms"` / `"4.5 ms"` below,
/// `"830 µs"` below 1 ms, `"2.7 ns"` below 1 µs (criterion micro-benchmarks).
pub fn format_seconds(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 0.01 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds >= 0.001 {
        format!("{:.1} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.0} µs", seconds * 1e6)
    } else {
        format!("{:.1} ns", seconds * 1e9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-7);
    }

    #[test]
    fn ranks_average_ties() {
        // merged: 1(b) 2(b) 2(c) 3(c): ranks 1, 2.5, 2.5, 4; cur sum 6.5; one tie of 2 -> 6.
        assert_eq!(rank_sums(&[1.0, 2.0], &[2.0, 3.0]), (6.5, 6.0));
    }

    #[test]
    fn mann_whitney_matches_hand_computation() {
        // No ties; rank sum of y = 56, U = 35, mean 18, variance 6·6·13/12 = 39,
        // z = (17 - 0.5) / √39, p = erfc(z / √2) = 0.0082390 (as scipy, method="asymptotic").
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let y = [5.5, 7.0, 8.0, 9.0, 10.0, 11.0];
        assert!((mann_whitney_p(&x, &y) - 0.008_239_0).abs() < 1e-6);
    }

    #[test]
    fn percentile_interpolates_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&x, 0.5), Some(2.5));
        assert!((percentile(&x, 0.95).unwrap_or(0.0) - 3.85).abs() < 1e-12);
        assert_eq!(percentile(&[], 0.5), None);
    }
}
