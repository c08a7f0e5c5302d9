package dev.concerto.director.cli;

import picocli.CommandLine;

/** Reads the version from the jar's manifest; "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = DirectorMain.class.getPackage().getImplementationVersion();
        return new String[] {"Concerto director " + (v == null ? "(development build)" : v)};
    }
}
