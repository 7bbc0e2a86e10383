package io.ployer.server;

import io.ployer.server.cli.PloyerCommand;

/** The server's entry point: {@code java -cp … io.ployer.server.Main start}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] arguments) {
        String[] effective = arguments.length == 0 ? new String[] {"start"} : arguments;
        int code = PloyerCommand.run(System.getenv(), System.out, System.err, effective);
        if (code != 0 || !"start".equals(effective[0])) {
            System.exit(code);
        }
    }
}
