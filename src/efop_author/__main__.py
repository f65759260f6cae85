from efop_author.cli import main

main()
