package dev.tokentherm.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentherm.config.ConfigException;
import dev.tokentherm.scenario.ProfileKind;
import dev.tokentherm.scenario.ProfileLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped KV connector profiles say what issue 13 asks of them, and a bad one is refused in one line. */
class ConnectorProfileTest {
  @TempDir
  Path tmp;

  @Test
  void theShippedConnectorsDifferWhereTheRealEnginesDo() throws ConfigException {
    ProfileLibrary library = new ProfileLibrary(Path.of("hardware-profiles"));
    assertThat(library.ids(ProfileKind.CONNECTOR)).containsExactly("lmcache-default", "vllm-offloading");
    ConnectorProfile vllm = library.get(ProfileKind.CONNECTOR, "vllm-offloading").value();
    assertThat(vllm.chunkTokens()).isNull(); // whole KV blocks
    assertThat(vllm.loading().mode()).isEqualTo("async");
    assertThat(vllm.storesDecodeKv().value()).isTrue();
    ConnectorProfile lmcache = library.get(ProfileKind.CONNECTOR, "lmcache-default").value();
    assertThat(lmcache.chunkTokens().value()).isEqualTo(256);
    assertThat(lmcache.storesPartialChunks().value()).isFalse();
    assertThat(lmcache.storesDecodeKv().value()).isFalse();
    assertThat(lmcache.loading().mode()).isEqualTo("sync");
    // LMCache's default max_local_cpu_size of 5 GB: 5e9 / 2^30 = 4.657 GiB
    assertThat(lmcache.cpuCacheGib().value()).isEqualTo(4.66);
  }

  @Test
  void aChunkOfHalfATokenIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("connectors"));
    Files.writeString(dir.resolve("half.yaml"), Files.readString(Path.of("hardware-profiles/connectors/lmcache-default.yaml"))
        .replace("id: lmcache-default", "id: half").replace("chunk_tokens: {value: 256", "chunk_tokens: {value: 0.5"));
    ProfileLibrary library = new ProfileLibrary(tmp);
    assertThatThrownBy(() -> library.get(ProfileKind.CONNECTOR, "half"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("chunk_tokens.value: is 0.5; allowed: a whole number of tokens ≥ 1");
  }
}
