/** JMH benchmarks of the simulator core. */
package dev.tokentherm.bench;
