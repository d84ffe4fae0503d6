from carepact.cli import main

main()
