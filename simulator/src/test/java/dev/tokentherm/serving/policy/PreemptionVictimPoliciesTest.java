package dev.tokentherm.serving.policy;

import dev.tokentherm.registry.PolicyRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.objects.ObjectLinkedOpenHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Preemption victim policies on a plain set in admission order. */
class PreemptionVictimPoliciesTest {
  @Test
  void lastAdmittedPreemptsTheMostRecentlyAdmitted() {
    ObjectLinkedOpenHashSet<String> running = new ObjectLinkedOpenHashSet<>(List.of("first", "second", "third"));
    assertThat(PreemptionVictimPolicies.LAST_ADMITTED.victim(running)).isEqualTo("third");
    running.remove("third");
    assertThat(PreemptionVictimPolicies.LAST_ADMITTED.victim(running)).isEqualTo("second");
  }

  @Test
  void lastAdmittedIsRegisteredByName() {
    assertThat(PolicyRegistry.standard().preemptionVictim("last-admitted")).isSameAs(PreemptionVictimPolicies.LAST_ADMITTED);
  }
}
