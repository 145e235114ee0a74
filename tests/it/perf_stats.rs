//! Tests: `perf::stats`, summary statistics and regression verdicts on synthetic samples with
//! known answers. Noise is normal (Box-Muller over a seeded `fastrand`), so every run is the
//! same.

use gatecheck::perf::stats::{
    CompareOptions, MAD_SCALE, Summary, Verdict, VerdictKind, compare, format_seconds,
};

/// `n` samples around `median` seconds with normal noise of relative standard deviation `sd`.
fn noisy(rng: &mut fastrand::Rng, n: usize, median: f64, sd: f64) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let u1 = 1.0 - rng.f64(); // in (0, 1]: ln is finite
            let u2 = rng.f64();
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            median * (1.0 + sd * z)
        })
        .collect()
}

fn shifted(seed: u64, n: usize, shift: f64) -> Verdict {
    let mut rng = fastrand::Rng::with_seed(seed);
    let baseline = noisy(&mut rng, n, 0.212, 0.03);
    let current = noisy(&mut rng, n, 0.212 * (1.0 + shift), 0.03);
    compare(&baseline, &current, &CompareOptions::default())
}

#[test]
fn summary_of_a_known_sample() {
    let s = Summary::of(&[5.0, 1.0, 4.0, 2.0, 3.0, 100.0]).unwrap();
    assert_eq!((s.n, s.min, s.max, s.median), (6, 1.0, 100.0, 3.5));
    // type 7: h = 5 * 0.95 = 4.75, 5 + 0.75 * (100 - 5)
    assert!((s.p95 - 76.25).abs() < 1e-9, "{}", s.p95);
    // deviations from 3.5: 2.5 1.5 0.5 0.5 1.5 96.5 -> median 1.5
    assert!((s.mad - 1.5 * MAD_SCALE).abs() < 1e-12, "{}", s.mad);
}

#[test]
fn summary_of_nothing_usable_is_none() {
    assert_eq!(Summary::of(&[]), None);
    assert_eq!(Summary::of(&[f64::NAN, f64::INFINITY, -1.0]), None);
}

#[test]
fn non_finite_and_negative_values_are_filtered_out() {
    let s = Summary::of(&[
        1.0,
        f64::NAN,
        2.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -3.0,
        3.0,
    ])
    .unwrap();
    assert_eq!((s.n, s.min, s.max, s.median), (3, 1.0, 3.0, 2.0));
    let mut base = vec![1.0; 10];
    base.extend([f64::NAN, f64::INFINITY]);
    let v = compare(&base, &[1.0; 10], &CompareOptions::default());
    assert_eq!(
        (v.baseline_n, v.current_n, v.kind),
        (10, 10, VerdictKind::NoChange)
    );
    // Filtering can leave too few values.
    let v = compare(&[f64::NAN; 10], &[1.0; 10], &CompareOptions::default());
    assert_eq!((v.baseline_n, v.kind), (0, VerdictKind::InsufficientData));
    assert_eq!(v.ratio, None);
    assert_eq!(
        v.to_string(),
        "no samples, insufficient data (0 vs 10 usable samples, 5 per side needed)"
    );
}

#[test]
fn identical_distributions_rarely_regress() {
    let calm = (0..100)
        .filter(|&seed| shifted(seed, 10, 0.0).kind != VerdictKind::Regression)
        .count();
    assert!(calm >= 95, "only {calm} of 100 trials without a regression");
    let unchanged = (100..200)
        .filter(|&seed| shifted(seed, 10, 0.0).kind == VerdictKind::NoChange)
        .count();
    assert!(
        unchanged >= 95,
        "only {unchanged} of 100 trials called no change"
    );
}

#[test]
fn a_20_percent_shift_is_a_regression() {
    for seed in 0..20 {
        let v = shifted(seed, 10, 0.20);
        assert_eq!(v.kind, VerdictKind::Regression, "seed {seed}: {v}");
        let (low, high) = (v.ci_low.unwrap(), v.ci_high.unwrap());
        assert!(
            low > 1.05 && low <= v.ratio.unwrap() && v.ratio.unwrap() <= high,
            "{v:?}"
        );
        assert!(v.p_value.unwrap() < 0.05, "{v:?}");
    }
}

#[test]
fn a_2_percent_shift_is_not_a_regression_at_5_percent() {
    for seed in 0..50 {
        let v = shifted(seed, 10, 0.02);
        assert_ne!(v.kind, VerdictKind::Regression, "seed {seed}: {v}");
    }
}

#[test]
fn a_significant_change_inside_the_threshold_is_no_change() {
    // 3% shift, 200 samples a side: clearly significant, but not beyond 5%.
    let v = shifted(7, 200, 0.03);
    assert!(v.p_value.unwrap() < 0.05, "{v:?}");
    assert_eq!(v.kind, VerdictKind::NoChange, "{v}");
    // With a 1% threshold, the same samples are a regression.
    let mut rng = fastrand::Rng::with_seed(7);
    let baseline = noisy(&mut rng, 200, 0.212, 0.03);
    let current = noisy(&mut rng, 200, 0.212 * 1.03, 0.03);
    let options = CompareOptions {
        noise_threshold: 0.01,
        ..CompareOptions::default()
    };
    assert_eq!(
        compare(&baseline, &current, &options).kind,
        VerdictKind::Regression
    );
}

#[test]
fn a_20_percent_speedup_is_an_improvement() {
    for seed in 0..20 {
        let v = shifted(seed, 10, -0.20);
        assert_eq!(v.kind, VerdictKind::Improvement, "seed {seed}: {v}");
        assert!(v.ci_high.unwrap() < 0.95, "{v:?}");
    }
}

#[test]
fn fewer_than_5_samples_is_insufficient_data() {
    let v = compare(
        &[1.0, 1.0, 1.0, 1.0],
        &[9.0; 50],
        &CompareOptions::default(),
    );
    assert_eq!(v.kind, VerdictKind::InsufficientData);
    assert_eq!(
        (v.ratio, v.ci_low, v.ci_high, v.p_value),
        (Some(9.0), None, None, None)
    );
    let v = compare(&[1.0; 50], &[9.0; 4], &CompareOptions::default());
    assert_eq!(v.kind, VerdictKind::InsufficientData);
    assert_eq!(
        v.to_string(),
        "1.00 s → 9.00 s, +800%, insufficient data (50 vs 4 usable samples, 5 per side needed)"
    );
    // Five a side is enough.
    let v = compare(&[1.0; 5], &[9.0; 5], &CompareOptions::default());
    assert_eq!(v.kind, VerdictKind::Regression, "{v}");
}

#[test]
fn constant_samples_do_not_divide_by_zero() {
    let v = compare(&[0.25; 10], &[0.25; 10], &CompareOptions::default());
    assert_eq!(v.kind, VerdictKind::NoChange);
    assert_eq!(
        (v.ratio, v.ci_low, v.ci_high, v.p_value),
        (Some(1.0), Some(1.0), Some(1.0), Some(1.0))
    );
    let v = compare(&[0.0; 10], &[0.0; 10], &CompareOptions::default());
    assert_eq!((v.kind, v.ratio), (VerdictKind::NoChange, Some(1.0)));
    let v = compare(&[0.25; 10], &[0.30; 10], &CompareOptions::default());
    assert_eq!(v.kind, VerdictKind::Regression, "{v}");
    assert!(v.p_value.unwrap() < 0.001, "{v:?}");
    let v = compare(&[0.0; 10], &[0.30; 10], &CompareOptions::default());
    assert_eq!(
        (v.kind, v.ratio),
        (VerdictKind::Regression, Some(f64::INFINITY))
    );
    let s = Summary::of(&[2.0; 7]).unwrap();
    assert_eq!((s.median, s.p95, s.mad), (2.0, 2.0, 0.0));
}

#[test]
fn verdicts_are_reproducible() {
    let a = shifted(3, 10, 0.1);
    let b = shifted(3, 10, 0.1);
    assert_eq!(a, b);
}

#[test]
fn display_reads_like_the_issue() {
    let v = Verdict {
        kind: VerdictKind::Regression,
        baseline_n: 10,
        current_n: 10,
        baseline_median: Some(0.212),
        current_median: Some(0.248),
        ratio: Some(0.248 / 0.212),
        ci_low: Some(1.12),
        ci_high: Some(1.22),
        p_value: Some(0.001),
    };
    assert_eq!(
        v.to_string(),
        "212 ms → 248 ms, +17% (95% CI +12%..+22%), regression"
    );
    assert_eq!(
        v.render(|x| format!("{:.0} MB", x * 1000.0)),
        "212 MB → 248 MB, +17% (95% CI +12%..+22%), regression"
    );
    let v = shifted(1, 10, -0.2);
    assert!(v.to_string().ends_with(", improvement"), "{v}");
    assert!(shifted(1, 10, 0.0).to_string().ends_with(", no change"));
}

#[test]
fn seconds_are_formatted_for_people() {
    assert_eq!(format_seconds(1.25), "1.25 s");
    assert_eq!(format_seconds(0.212), "212 ms");
    assert_eq!(format_seconds(0.0045), "4.5 ms");
    assert_eq!(format_seconds(0.00083), "830 µs");
}
