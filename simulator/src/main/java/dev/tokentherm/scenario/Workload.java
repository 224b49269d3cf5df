package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.MinSize;
import dev.tokentherm.config.OneOrMore;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;
import java.util.List;

@Doc("Traffic sent to one or more deployments: exactly one of conversations, podcast, probe, trace")
public record Workload(
    @Required @OneOrMore @MinSize(1) @Doc("name of the deployment that serves it, or a list of names: each"
        + " receives an identical copy (the same conversations, arrivals and scripts, under the same conversation"
        + " numbers), for a side-by-side comparison") List<String> target,
    @Doc("synthetic multi-turn conversations") Conversations conversations,
    @Doc("one spoken conversation: a phrase every phrase_s, speakers alternating") Podcast podcast,
    @Doc("one request per context length, history already cached") Probe probe,
    @Doc("replay of a request trace (a session's requests are the turns of one conversation)") TraceSpec trace)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    for (int i = 0; i < target.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (target.get(i).equals(target.get(j))) {
          v.error("target[" + i + "]", "'" + target.get(i) + "' is listed twice; name each deployment once");
        }
      }
    }
    int kinds = (conversations != null ? 1 : 0) + (podcast != null ? 1 : 0) + (probe != null ? 1 : 0)
        + (trace != null ? 1 : 0);
    if (kinds != 1) {
      v.error("", "has " + kinds + " workload kinds; give exactly one of: conversations, podcast, probe, trace");
    }
  }
}
