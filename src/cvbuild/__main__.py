from cvbuild.zygote import main

main()
