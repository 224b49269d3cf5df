package dev.tokentherm.engine;

/**
 * What an event does when its time comes. One handler object usually serves many events; the
 * {@code arg} (an entity id, an index into the caller's own arrays) tells them apart, so scheduling
 * allocates nothing.
 */
@FunctionalInterface
public interface EventHandler {
  void onEvent(Engine engine, long arg);
}
