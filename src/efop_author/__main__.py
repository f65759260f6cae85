from efop_author.entry import main

main()
