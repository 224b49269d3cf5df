package dev.tokentherm.engine;
public final class Phase { private Phase() {} public static final int ARRIVAL = 0, COMPLETION = 1, STATE = 2, SCHEDULE = 3, SAMPLE = 4; }
