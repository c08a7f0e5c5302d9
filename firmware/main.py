# Runs at boot: the Concerto player (settings in config.py). Ctrl-C in the REPL stops it.
import concerto_board

concerto_board.main()
