package dev.tokentherm.serving.policy;

import dev.tokentherm.registry.PolicyRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission policies on plain deques. */
class AdmissionPoliciesTest {
  @Test
  void fcfsQueuesNewRequestsLastAndPreemptedOnesFirst() {
    ArrayDeque<String> waiting = new ArrayDeque<>();
    AdmissionPolicies.FCFS.enqueue(waiting, "a", false);
    AdmissionPolicies.FCFS.enqueue(waiting, "b", false);
    AdmissionPolicies.FCFS.enqueue(waiting, "p", true);
    assertThat(waiting).containsExactly("p", "a", "b");
  }

  @Test
  void fcfsStopsAtTheFirstRequestThatDoesNotFit() {
    ArrayDeque<String> waiting = new ArrayDeque<>(List.of("gone", "a", "big", "c"));
    List<String> offered = new ArrayList<>();
    AdmissionPolicies.FCFS.admit(waiting, () -> true, r -> {
      offered.add(r);
      return r.equals("gone") ? AdmissionPolicy.Offer.GONE
          : r.equals("big") ? AdmissionPolicy.Offer.NO_ROOM : AdmissionPolicy.Offer.ADMITTED;
    });
    assertThat(offered).containsExactly("gone", "a", "big"); // head-of-line: c waits behind big
    assertThat(waiting).containsExactly("big", "c");
  }

  @Test
  void fcfsStopsWhenNoSeatIsFree() {
    ArrayDeque<String> waiting = new ArrayDeque<>(List.of("a", "b", "c"));
    int[] seats = {2};
    AdmissionPolicies.FCFS.admit(waiting, () -> seats[0] > 0, r -> {
      seats[0]--;
      return AdmissionPolicy.Offer.ADMITTED;
    });
    assertThat(waiting).containsExactly("c");
  }

  @Test
  void fcfsIsRegisteredByName() {
    assertThat(PolicyRegistry.standard().admission("fcfs")).isSameAs(AdmissionPolicies.FCFS);
  }
}
