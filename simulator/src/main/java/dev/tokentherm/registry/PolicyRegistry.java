package dev.tokentherm.registry;

import dev.tokentherm.config.Catalog;
import dev.tokentherm.kv.EvictionPolicies;
import dev.tokentherm.kv.EvictionPolicy;
import dev.tokentherm.kv.tier.TierPlacement;
import dev.tokentherm.kv.tier.TierPlacements;
import dev.tokentherm.power.ClockPolicies;
import dev.tokentherm.power.ClockPolicy;
import dev.tokentherm.power.SloTpotPolicy;
import dev.tokentherm.serving.policy.AdmissionPolicies;
import dev.tokentherm.serving.policy.AdmissionPolicy;
import dev.tokentherm.serving.policy.BatchPolicies;
import dev.tokentherm.serving.policy.BatchPolicy;
import dev.tokentherm.serving.policy.PreemptionVictimPolicies;
import dev.tokentherm.serving.policy.PreemptionVictimPolicy;
import dev.tokentherm.serving.routing.JoinShortestQueueRouter;
import dev.tokentherm.serving.routing.LeastOutstandingTokensRouter;
import dev.tokentherm.serving.routing.PrefixAwareRouter;
import dev.tokentherm.serving.routing.RoundRobinRouter;
import dev.tokentherm.serving.routing.Router;
import dev.tokentherm.serving.routing.SessionAffinityRouter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every named policy, in one place: per {@link PolicyKind} the names in order, one line saying
 * what each does, and how to obtain it. The same entries feed the scenario schema's allowed values
 * and descriptions, the binder's checks and "did you mean" errors (as the {@link Catalog} of
 * {@code @OneOfCatalog} fields), {@code tokentherm policies} and the simulation's look-ups. An
 * instance is immutable: {@link #with} returns a new registry, so a test's additions stay in its
 * own instance.
 */
public final class PolicyRegistry implements Catalog {
  public static final PolicyKind<BatchPolicy> BATCH_POLICY = new PolicyKind<>("batch-policy",
      "how a replica forms each iteration's batch (deployments[].scheduler.policy)", BatchPolicy::name);
  public static final PolicyKind<Router> ROUTER = new PolicyKind<>("router",
      "how requests are spread over a deployment's replicas (deployments[].router.policy)", Router::name);
  public static final PolicyKind<EvictionPolicy> EVICTION = new PolicyKind<>("eviction",
      "which unpinned KV blocks are reclaimed first (deployments[].kv.eviction)", EvictionPolicy::name);
  public static final PolicyKind<TierPlacement> PLACEMENT = new PolicyKind<>("placement",
      "where a conversation's KV goes when its turn ends (deployments[].kv.placement; tiers: cluster.kv_tiers)",
      TierPlacement::name);
  public static final PolicyKind<AdmissionPolicy> ADMISSION = new PolicyKind<>("admission",
      "in which order a replica admits its waiting requests (deployments[].admission.policy)", AdmissionPolicy::name);
  public static final PolicyKind<PreemptionVictimPolicy> PREEMPTION_VICTIM = new PolicyKind<>("preemption-victim",
      "which running request loses its KV when a decode step finds too few blocks"
          + " (deployments[].kv.preemption_victim)", PreemptionVictimPolicy::name);
  public static final PolicyKind<ClockPolicy> CLOCK_POLICY = new PolicyKind<>("clock-policy",
      "the SM clock a replica asks for, before its power cap (deployments[].power.clock)", ClockPolicy::name);

  private static final PolicyRegistry STANDARD = new PolicyRegistry(
      List.of(BATCH_POLICY, ROUTER, EVICTION, ADMISSION, PREEMPTION_VICTIM, CLOCK_POLICY, PLACEMENT))
      .with(BATCH_POLICY, "vllm-v1", "decodes first, prompts chunked into the remaining token budget", () -> BatchPolicies.VLLM_V1)
      .with(BATCH_POLICY, "sarathi", "decodes first, one prompt chunk filling the budget", () -> BatchPolicies.SARATHI)
      .with(BATCH_POLICY, "vllm-v0", "whole prompts first (decodes pause)", () -> BatchPolicies.VLLM_V0)
      .with(BATCH_POLICY, "orca", "decodes plus whole prompts that fit", () -> BatchPolicies.ORCA)
      .with(BATCH_POLICY, "decode-priority", "decodes alone while any run", () -> BatchPolicies.DECODE_PRIORITY)
      .with(BATCH_POLICY, "static", "request-level batches", () -> BatchPolicies.STATIC)
      .with(ROUTER, "session-affinity", "a conversation stays on the replica it started on (chosen round-robin)",
          SessionAffinityRouter::new)
      .with(ROUTER, "round-robin", "each request to the next replica", RoundRobinRouter::new)
      .with(ROUTER, "join-shortest-queue", "fewest waiting + running requests", JoinShortestQueueRouter::new)
      .with(ROUTER, "least-outstanding-tokens", "fewest tokens still to prefill and decode",
          LeastOutstandingTokensRouter::new)
      .with(ROUTER, "prefix-aware", "the replica maximising the prompt tokens its prefix cache holds (a trace's"
          + " hashes) less the tokens it has outstanding", PrefixAwareRouter::new)
      .with(EVICTION, "lru", "least recently used (a conversation's blocks tail first where the stack frees them"
          + " so, e.g. vllm-v1; whole where KV tiers are on); in tiers below HBM, the least recently used copy"
          + " moves down first", () -> EvictionPolicies.LRU)
      .with(EVICTION, "ttl", "KV idle past kv.idle_ttl_s (tiers: cluster.kv_tiers.idle_ttl_s) first, largest"
          + " first; while none has expired, least recently used", () -> EvictionPolicies.TTL)
      .with(EVICTION, "size-aware", "the conversation holding the most KV first (fewest evictions for the room)",
          () -> EvictionPolicies.SIZE_AWARE)
      .with(EVICTION, "expected-reuse", "the lowest expected reuse per byte first: the conversation's expected"
          + " remaining turns (known to a synthetic workload; a trace's taken as 1) over its KV bytes",
          () -> EvictionPolicies.EXPECTED_REUSE)
      .with(ADMISSION, "fcfs", "first come, first served: new requests join the back, preempted ones the front;"
          + " admission stops at the first whose KV does not fit (vLLM's waiting queue)", () -> AdmissionPolicies.FCFS)
      .with(PREEMPTION_VICTIM, "last-admitted", "the most recently admitted running request (vLLM's victim)",
          () -> PreemptionVictimPolicies.LAST_ADMITTED)
      .with(CLOCK_POLICY, "boost", "the highest clock, max_mhz (the boost clock the kernel fits were measured at)",
          () -> ClockPolicies.BOOST)
      .with(CLOCK_POLICY, "locked", "a fixed clock, locked_mhz (an application clock, as nvidia-smi -lgc)",
          () -> ClockPolicies.LOCKED)
      .with(CLOCK_POLICY, "slo-tpot", "the lowest clock whose estimated token gap keeps TPOT under slo.tpot_ms × "
          + "slo_margin, from the replica's observed decode steps, every interval_s", SloTpotPolicy::new)
      .with(PLACEMENT, "keep", "the KV stays in HBM until eviction moves it down a tier (or drops it without"
          + " tiers)", () -> TierPlacements.KEEP)
      .with(PLACEMENT, "write-through", "the KV stays in HBM and is copied at once to the first lower tier with"
          + " room, so that its eviction later costs no copy", () -> TierPlacements.WRITE_THROUGH)
      .with(PLACEMENT, "demote-on-idle", "the KV moves down a tier once idle for kv.idle_ttl_s (without tiers:"
          + " it is dropped then)", () -> TierPlacements.DEMOTE_ON_IDLE)
      .with(PLACEMENT, "drop", "the KV is freed when the turn ends; the next turn recomputes it (stateless)",
          () -> TierPlacements.DROP);

  /** One registered policy. */
  private record Entry(String name, String description, Supplier<?> factory) {}

  /** Kinds in order, each with its entries in order. */
  private final Map<PolicyKind<?>, List<Entry>> entries;

  private PolicyRegistry(List<PolicyKind<?>> kinds) {
    this.entries = new LinkedHashMap<>();
    for (PolicyKind<?> kind : kinds) {
      entries.put(kind, List.of());
    }
  }

  private PolicyRegistry(Map<PolicyKind<?>, List<Entry>> entries) {
    this.entries = entries;
  }

  /** The policies tokentherm ships. */
  public static PolicyRegistry standard() {
    return STANDARD;
  }

  /**
   * This registry and one more policy, listed after the others of its kind.
   *
   * @param description one line: what the policy does
   * @param factory a new instance for each deployment or replica (or one shared, if stateless)
   * @throws IllegalArgumentException when the name is taken or the implementation calls itself
   *     otherwise
   */
  public <T> PolicyRegistry with(PolicyKind<T> kind, String name, String description,
      Supplier<? extends T> factory) {
    List<Entry> ofKind = entries.get(kind);
    if (ofKind == null) {
      throw new IllegalArgumentException("no policy kind " + kind.id() + " in this registry");
    }
    if (find(ofKind, name) != null) {
      throw new IllegalArgumentException("the " + kind.id() + " '" + name + "' is registered twice");
    }
    String own = kind.nameOf().apply(factory.get());
    if (!own.equals(name)) {
      throw new IllegalArgumentException("the " + kind.id() + " registered as '" + name
          + "' calls itself '" + own + "'");
    }
    List<Entry> more = new ArrayList<>(ofKind);
    more.add(new Entry(name, description, factory));
    Map<PolicyKind<?>, List<Entry>> copy = new LinkedHashMap<>(entries);
    copy.put(kind, List.copyOf(more));
    return new PolicyRegistry(copy);
  }

  /** The kinds, in order. */
  public List<PolicyKind<?>> kinds() {
    return List.copyOf(entries.keySet());
  }

  /** The implementation of a name (a fresh one where its line makes one each time). */
  public <T> T create(PolicyKind<T> kind, String name) {
    Entry entry = find(entries.getOrDefault(kind, List.of()), name);
    if (entry == null) {
      // scenarios are checked against the same names when bound, so this is a caller's slip
      throw new IllegalArgumentException("unknown " + kind.id() + " '" + name + "'; allowed: "
          + String.join(", ", names(kind)));
    }
    @SuppressWarnings("unchecked") // with() accepted only factories of the kind's type
    T policy = (T) entry.factory().get();
    return policy;
  }

  public BatchPolicy batchPolicy(String name) {
    return create(BATCH_POLICY, name);
  }

  /** A new router (each deployment has its own, with its own state). */
  public Router router(String name) {
    return create(ROUTER, name);
  }

  public ClockPolicy clockPolicy(String name) {
    return create(CLOCK_POLICY, name);
  }

  public EvictionPolicy eviction(String name) {
    return create(EVICTION, name);
  }

  public TierPlacement placement(String name) {
    return create(PLACEMENT, name);
  }

  public AdmissionPolicy admission(String name) {
    return create(ADMISSION, name);
  }

  public PreemptionVictimPolicy preemptionVictim(String name) {
    return create(PREEMPTION_VICTIM, name);
  }

  /** The names of a kind, in order. */
  public List<String> names(PolicyKind<?> kind) {
    List<String> names = new ArrayList<>();
    for (Entry entry : entries.getOrDefault(kind, List.of())) {
      names.add(entry.name());
    }
    return names;
  }

  /** One line: what a policy of a kind does, or null if there is none of that name. */
  public String description(PolicyKind<?> kind, String name) {
    Entry entry = find(entries.getOrDefault(kind, List.of()), name);
    return entry == null ? null : entry.description();
  }

  @Override
  public List<String> names(String kind) {
    PolicyKind<?> k = kind(kind);
    return k == null ? null : names(k);
  }

  @Override
  public String description(String kind, String name) {
    PolicyKind<?> k = kind(kind);
    return k == null ? null : description(k, name);
  }

  private PolicyKind<?> kind(String id) {
    for (PolicyKind<?> kind : entries.keySet()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    return null;
  }

  private static Entry find(List<Entry> ofKind, String name) {
    for (Entry entry : ofKind) {
      if (entry.name().equals(name)) {
        return entry;
      }
    }
    return null;
  }
}
