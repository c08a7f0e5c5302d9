// gap: an SCHED_FIFO 50 thread that sleeps 1 ms in a loop and prints every wake-up more than
// THRESH_US late (CLOCK_REALTIME of the wake, the lateness), for SECONDS seconds. A VM that is
// paused shows as such gaps even at real-time priority.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>
static long long ns(clockid_t c){struct timespec t;clock_gettime(c,&t);return t.tv_sec*1000000000LL+t.tv_nsec;}
int main(int argc,char**argv){
  int secs=argc>1?atoi(argv[1]):600; long thresh=argc>2?atol(argv[2]):2000;
  struct sched_param p={.sched_priority=50}; if(sched_setscheduler(0,SCHED_FIFO,&p)) perror("sched");
  long long end=ns(CLOCK_MONOTONIC)+secs*1000000000LL;
  struct timespec d={0,1000000};
  while(ns(CLOCK_MONOTONIC)<end){
    long long a=ns(CLOCK_MONOTONIC); nanosleep(&d,0); long long b=ns(CLOCK_MONOTONIC);
    long late=(b-a-1000000)/1000;
    if(late>thresh){printf("%.6f %ld\n",ns(CLOCK_REALTIME)/1e9,late);fflush(stdout);}
  }
}
