/**
 * Mains that a suite starts as their own processes on the director's side (e.g. a discovery
 * watch), so that the suite itself still measures the player and the director from outside: only
 * this package uses director classes, and only its mains print to their own stdout, which the
 * suite reads.
 */
package dev.concerto.bench.process;
