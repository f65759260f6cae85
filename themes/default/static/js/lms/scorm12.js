/* efop-author: work in progress */
