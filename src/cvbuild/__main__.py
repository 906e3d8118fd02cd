from cvbuild.cli.zygote import main

main()
