package dev.tokentherm.serving;

import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.function.Consumer;

/**
 * Where sequences whose KV has come back rejoin the batch (from host memory: the decodes; from a
 * tier below HBM: the prefills), and the hold of a synchronous KV connector ({@link ConnectorRules}):
 * while one of its loads is in flight the replica starts no iteration and admits nothing, and the
 * iteration after the hold runs the batch admitted with the load, admitting no more: vLLM's step
 * with LMCache (the scheduler admits, the connector loads the admitted requests' KV before the
 * forward pass, the forward pass runs), so every running request waits for the load. Without a
 * synchronous connector nothing is ever held and only the loading request waits.
 */
final class LoadGate {
  private final ReplicaKv kv;
  private final ReplicaTiers tiers;
  private final ObjectLinkedOpenHashSet<Sequence> running;
  private final PrefillSet prefills;
  private final Consumer<Sequence> joinDecode;
  /** A hold ended: the next iteration runs the batch it held, admitting nothing more. */
  private boolean held;

  LoadGate(ReplicaKv kv, ReplicaTiers tiers, ObjectLinkedOpenHashSet<Sequence> running, PrefillSet prefills,
      Consumer<Sequence> joinDecode) {
    this.kv = kv;
    this.tiers = tiers;
    this.running = running;
    this.prefills = prefills;
    this.joinDecode = joinDecode;
  }

  /** True while a synchronous load is in flight: no iteration may start. */
  boolean holds() {
    if (tiers.syncLoads() > 0) {
      held = true;
      return true;
    }
    return false;
  }

  /** Sequences whose KV is back join the batch; returns whether admission may run before this iteration. */
  boolean rejoin() {
    ObjectArrayList<Sequence> restored = kv.restored();
    boolean admit = !held || restored.isEmpty(); // after a hold, the batch it held runs first
    for (int i = 0; i < restored.size(); i++) { // back from host memory: decoding resumes; from a tier: prefill
      Sequence q = restored.get(i);
      running.add(q);
      if (q.takeLoaded()) {
        prefills.add(q);
      } else {
        joinDecode.accept(q);
      }
    }
    restored.clear();
    held = false;
    return admit;
  }
}
