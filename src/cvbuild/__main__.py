from cvbuild.cli.main import main

main()
