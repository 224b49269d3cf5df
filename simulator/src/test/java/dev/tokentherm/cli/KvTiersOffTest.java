package dev.tokentherm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentherm.results.Summary;
import dev.tokentherm.results.SummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key property of the KV tiers: with every tier below HBM sized 0 (and the default placement
 * and reuse spelt out), a run writes exactly what the HBM-only run writes — every summary key and
 * every CSV column, the appended ones included — and the new figures show no traffic. The
 * preemption case (1,000 blocks, recompute) evicts, so the eviction path is crossed too.
 */
class KvTiersOffTest {
  @TempDir
  Path tmp;

  @Test
  void tiersSizedZeroWriteWhatTheHbmOnlyRunWrites() throws Exception {
    List<String> base = List.of("deployments[0].replicas=1", "deployments[0].kv.preemption=recompute",
        "deployments[0].kv.num_gpu_blocks=1000", "outputs.requests_csv=true");
    Path hbm = run("hbm", base);
    List<String> zero = new ArrayList<>(base);
    zero.addAll(List.of("cluster.kv_tiers.dram_gib=0", "cluster.kv_tiers.nvme_gib=0", "cluster.kv_tiers.remote_gib=0",
        "deployments[0].kv.placement=keep", "deployments[0].kv.reuse=load"));
    Path off = run("zero", zero);
    for (String file : new String[] {"summary.json", "conversations.csv", "requests.csv"}) {
      assertThat(Files.readString(off.resolve(file))).as(file).isEqualTo(Files.readString(hbm.resolve(file)));
    }
    Summary s = SummaryJson.read(off.resolve("summary.json"));
    assertThat(s.kv().evictions()).isPositive(); // the eviction path ran
    assertThat(s.kv().tiers()).extracting(Summary.KvTier::tier).containsExactly("hbm", "dram", "nvme", "remote");
    for (Summary.KvTier t : s.kv().tiers()) {
      assertThat(t.hits() + t.misses() + t.bytesIn() + t.bytesOut() + t.capacityBytes()).as(t.tier()).isZero();
      assertThat(t.loadS()).isZero();
      assertThat(t.energyJ()).isZero();
    }
    // every turn found its KV in HBM or nowhere, and none waited for a load
    for (String line : Files.readAllLines(off.resolve("conversations.csv")).subList(1, 10)) {
      String[] cells = line.split(",", -1);
      assertThat(cells[cells.length - 3]).isIn("hbm", "none");
      assertThat(cells[cells.length - 2]).isEqualTo("0");
    }
  }

  private Path run(String name, List<String> sets) {
    Path out = tmp.resolve(name);
    List<Object> args = new ArrayList<>(List.of("run", Path.of("scenarios/quickstart.yaml"), "--out", out));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    Cli.Result r = Cli.run(args.toArray());
    assertThat(r.code()).as("%s", r).isZero();
    return out;
  }
}
