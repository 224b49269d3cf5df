/**
 * Links shared max-min fairly by fluid flows ({@link dev.tokentherm.net.Network}): the host links,
 * host DRAM, NVMe and NICs that swap and tier traffic cross. Depends on the engine and the JDK alone.
 */
package dev.tokentherm.net;
