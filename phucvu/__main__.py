from phucvu.cli import main

main()
