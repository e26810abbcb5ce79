from nacha_cs.cli import main

main()
