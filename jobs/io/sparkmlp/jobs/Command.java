package io.sparkmlp.jobs;

import java.io.PrintStream;

/** A subcommand of the command line ({@link Main}): train, evaluate, predict, generate. */
interface Command {
  /** Runs with the arguments after the command name; throws on failure. */
  void run(String[] args, PrintStream out) throws Exception;

  /** The command's --help text. */
  String help();
}
