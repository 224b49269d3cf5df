package dev.tokentherm.engine;
public interface EventHandler { void onEvent(Engine engine, long arg); }
