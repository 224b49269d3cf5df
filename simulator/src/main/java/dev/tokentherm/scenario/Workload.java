package dev.tokentherm.scenario;

import dev.tokentherm.config.Doc;
import dev.tokentherm.config.Required;
import dev.tokentherm.config.Validatable;
import dev.tokentherm.config.Validation;

@Doc("Traffic sent to one deployment: exactly one of conversations, podcast, probe, trace")
public record Workload(
    @Required @Doc("name of the deployment that serves it") String target,
    @Doc("synthetic multi-turn conversations") Conversations conversations,
    @Doc("one spoken conversation: a phrase every phrase_s, speakers alternating") Podcast podcast,
    @Doc("one request per context length, history already cached") Probe probe,
    @Doc("replay of a request trace (a session's requests are the turns of one conversation)") TraceSpec trace)
    implements Validatable {
  @Override
  public void validate(Validation v) {
    int kinds = (conversations != null ? 1 : 0) + (podcast != null ? 1 : 0) + (probe != null ? 1 : 0)
        + (trace != null ? 1 : 0);
    if (kinds != 1) {
      v.error("", "has " + kinds + " workload kinds; give exactly one of: conversations, podcast, probe, trace");
    }
  }
}
