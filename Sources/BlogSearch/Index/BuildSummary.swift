import Foundation
import Synchronization

/// What a build did, for the one-line summary and exit codes.
public struct BuildSummary: Sendable {
    public var generation: Generation
    public var manifest: Manifest
    public var problems: [CorpusProblem]
    public var drafts: Int
    public var seconds: Double
    public var bytes: Int64
    /// Seconds spent in each phase, in order (preparing, writing, optimizing, relating, verifying, publishing).
    public var phases: [(phase: BuildProgress.Phase, seconds: Double)]
    /// Whether the previous generation's text was reused, and how much.
    public var reuse: BuildReuse
    /// The related-posts computation, which runs beside the writing (so not a phase of its own).
    public var related: RelatedTiming
    /// Set when the current generation failed verification, so this build reused nothing from it: why.
    public var refusedPrevious: String?
}

/// How the vectors and related lists were had, and the seconds spent on them.
public struct RelatedTiming: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Every post tokenized.
        case tokenized
        /// The previous generation's term counts reused for `reused` posts; `tokenized` posts read again.
        case counted(reused: Int, tokenized: Int)
        /// Nothing that related posts depend on changed: the previous generation's vectors and lists kept.
        case kept
    }
    public var source: Source
    /// Tokenizing (or loading the previous counts) and weighting.
    public var vectors: Double
    /// Every post's top K, explained.
    public var neighbours: Double
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What a build took from the previous generation (see `IncrementalPlan`).
public enum BuildReuse: Sendable, Equatable {
    /// Every post written; why.
    case full(reason: String)
    /// The previous generation copied: `reused` posts kept, `changed` rewritten, `added` appended.
    case incremental(reused: Int, changed: Int, added: Int)
}

/// Measures how long each build phase takes, from the progress reports.
final class PhaseTimer: Sendable {
    private let state = Mutex<(current: BuildProgress.Phase?, started: Date, done: [(BuildProgress.Phase, Double)])>((nil, Date(), []))

    func enter(_ phase: BuildProgress.Phase) {
        state.withLock { s in
            guard s.current != phase else { return }
            let now = Date()
            if let current = s.current { s.done.append((current, now.timeIntervalSince(s.started))) }
            s.current = phase
            s.started = now
        }
    }

    func finish() -> [(phase: BuildProgress.Phase, seconds: Double)] {
        state.withLock { s in
            if let current = s.current { s.done.append((current, Date().timeIntervalSince(s.started))) }
            s.current = nil
            return s.done.map { (phase: $0.0, seconds: $0.1) }
        }
    }
}

/// Progress of a build, reported to whoever shows it.
public struct BuildProgress: Sendable {
    public enum Phase: String, Sendable {
        /// Hashing the posts and deciding what to reuse; an incremental build copies the current generation.
        case preparing
        case writing, optimizing, relating, verifying, publishing
    }
    public var phase: Phase
    public var done: Int
    public var total: Int
}
