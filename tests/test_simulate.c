void register_tests(void); void register_tests(void){}
