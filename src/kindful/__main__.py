from kindful.cli import main

main()
