/* cu_main.c - shared CUnit runner: each test program defines register_tests(). */
#include <CUnit/Basic.h>
#include <stdio.h>

void register_tests(void);

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    register_tests();
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "CUnit registry error: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_tests_failed() + CU_get_number_of_failures();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed != 0 || run == 0 ? 1 : 0;
}
