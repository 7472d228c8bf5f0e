from gtmgen.cli import main

main()
