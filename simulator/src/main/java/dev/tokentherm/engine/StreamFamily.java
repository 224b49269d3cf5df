package dev.tokentherm.engine;
public final class StreamFamily { private StreamFamily() {} public static final int CONVERSATION = 1, ARRIVAL = 2, ROUTING = 3, TIE_SHUFFLE = 4; }
